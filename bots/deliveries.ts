import type { Notification } from '../application/notifications.js';
import type { Sql } from '../ledger/db.js';
import type { Directory } from '../ledger/workspaces.js';
import type { BotCore } from './core/core.js';
import { renderNotification } from './core/render-notification.js';
import type { Answer, ChatPlatform } from './core/types.js';

/** How long a claim on a delivery stays exclusive before another sender may take it over. */
const LEASE_SECONDS = 120;

/** Remembers which notification went to which channel, and which message shows a purchase. */
export class DeliveryStore {
  constructor(private readonly sql: Sql) {}

  /** True when this sender now owns the delivery; false when it was sent (or is being sent) already. */
  async claim(notificationId: string, platform: ChatPlatform, channel: string): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO bot_deliveries (notification_id, platform, channel, state)
      VALUES (${notificationId}, ${platform}, ${channel}, 'sending')
      ON CONFLICT (notification_id, platform, channel) DO UPDATE SET claimed_at = now()
        WHERE bot_deliveries.state = 'sending'
          AND bot_deliveries.claimed_at < now() - make_interval(secs => ${LEASE_SECONDS})
      RETURNING notification_id`;
    return rows.length > 0;
  }

  async sent(
    notificationId: string,
    platform: ChatPlatform,
    channel: string,
    messageId: string | null,
  ): Promise<void> {
    await this.sql`
      UPDATE bot_deliveries SET state = 'sent', message_id = ${messageId}, sent_at = now()
       WHERE notification_id = ${notificationId} AND platform = ${platform} AND channel = ${channel}`;
  }

  /** Gives a failed claim back so the retry can send. */
  async release(notificationId: string, platform: ChatPlatform, channel: string): Promise<void> {
    await this.sql`
      DELETE FROM bot_deliveries
       WHERE notification_id = ${notificationId} AND platform = ${platform} AND channel = ${channel}
         AND state = 'sending'`;
  }

  async rememberPurchaseMessage(input: {
    purchaseId: string;
    platform: ChatPlatform;
    channel: string;
    messageId: string;
    workspaceId: string;
  }): Promise<void> {
    await this.sql`
      INSERT INTO bot_purchase_messages (purchase_id, platform, channel, message_id, workspace_id)
      VALUES (${input.purchaseId}, ${input.platform}, ${input.channel}, ${input.messageId}, ${input.workspaceId})
      ON CONFLICT (purchase_id, platform, channel) DO UPDATE SET message_id = EXCLUDED.message_id`;
  }

  async purchaseMessages(
    purchaseId: string,
    platform: ChatPlatform,
  ): Promise<{ channel: string; messageId: string }[]> {
    const rows = await this.sql`
      SELECT channel, message_id FROM bot_purchase_messages
       WHERE purchase_id = ${purchaseId} AND platform = ${platform} ORDER BY created_at`;
    return rows.map((r) => ({ channel: r.channel as string, messageId: r.message_id as string }));
  }
}

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
  deps: { core: BotCore; directory: Directory; store: DeliveryStore; sender: ChannelSender },
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
  if (notification.kind === 'purchase_update') {
    const messages = await store.purchaseMessages(notification.purchase.id, platform);
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
  if (notification.kind === 'approval_request' && channels.length === 0) {
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
      if (notification.kind === 'approval_request') {
        await store.rememberPurchaseMessage({
          purchaseId: notification.purchase.id,
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
