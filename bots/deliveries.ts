import type { Notification } from '../application/notifications.js';
import type { DeliveryStore } from '../ledger/stores/deliveries.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';
import type { BotCore } from './core/core.js';
import { renderNotification } from './core/render-notification.js';
import type { Answer, ChatPlatform } from './core/types.js';

/** What a platform notifier must be able to do; the delivery logic is shared. */
export interface ChannelSender {
  readonly platform: ChatPlatform;
  post(channel: string, answer: Answer): Promise<string>;
  /** The direct-message channel with a user (Slack conversations.open, Discord POST /users/@me/channels). */
  openDm(userId: string): Promise<string>;
  update(channel: string, messageId: string, answer: Answer): Promise<void>;
}

/**
 * Shared delivery rules of the Slack and Discord notifiers: alerts, reminders and digests go to
 * every linked channel of the workspace on this platform; an approval request is posted with its
 * buttons and remembered; a purchase update edits the remembered approval message (or is posted
 * when there is none). A repeated notification id posts nothing.
 */
export async function deliver(
  deps: { core: BotCore; directory: WorkspaceDirectory; store: DeliveryStore; sender: ChannelSender },
  notification: Notification,
): Promise<void> {
  const { core, directory, store, sender } = deps;
  const platform = sender.platform;
  const channels = [
    ...new Set(
      (await directory.chatLinks(notification.workspaceId))
        .filter((l) => l.platform === platform && l.channel)
        .map((l) => l.channel!),
    ),
  ];
  const answer = await renderNotification(core, notification);
  // Purchases and budget raises alike: the request is posted with buttons, updates edit it.
  const asks = notification.kind === 'approval_request' || notification.kind === 'raise_request';
  const flowId =
    notification.kind === 'approval_request' || notification.kind === 'purchase_update'
      ? notification.purchase.id
      : notification.kind === 'raise_request' || notification.kind === 'raise_update'
        ? notification.raise.id
        : null;
  if (flowId && (notification.kind === 'purchase_update' || notification.kind === 'raise_update')) {
    const messages = await store.purchaseMessages(flowId, platform);
    if (messages.length > 0) {
      for (const m of messages) {
        if (!(await store.claim(notification.id, platform, m.channel))) continue;
        try {
          await sender.update(m.channel, m.messageId, answer);
          await store.sent(notification.id, platform, m.channel, m.messageId);
        } catch (error) {
          await store.release(notification.id, platform, m.channel);
          throw error;
        }
      }
      return;
    }
  }
  if (asks && channels.length === 0) {
    // No linked channel on this platform: ask the approvers directly, in a DM with the bot.
    const approvers = (await directory.members(notification.workspaceId)).filter(
      (m) => m.role === 'owner' || m.role === 'admin',
    );
    for (const m of approvers) {
      const userId = platform === 'slack' ? m.slackUserId : m.discordUserId;
      if (userId) channels.push(await sender.openDm(userId));
    }
  }
  let failure: unknown;
  for (const channel of channels) {
    if (!(await store.claim(notification.id, platform, channel))) continue;
    try {
      const messageId = await sender.post(channel, answer);
      await store.sent(notification.id, platform, channel, messageId);
      if (asks && flowId) {
        await store.rememberPurchaseMessage({
          purchaseId: flowId,
          platform,
          channel,
          messageId,
          workspaceId: notification.workspaceId,
        });
      }
    } catch (error) {
      await store.release(notification.id, platform, channel);
      failure ??= error;
    }
  }
  if (failure) throw failure;
}
