import type { BotCore } from './core.js';
import type { Answer, Asker, ChatPlatform } from './types.js';

/** Where the pressed approval message is shown, as a platform adapter can change it. */
export interface ApprovalMessage {
  /** Tells only the person who pressed (Slack ephemeral, Discord flag 64). */
  tellPresser(answer: Answer): Promise<void>;
  /** Replaces the approval message's content for everyone in the channel. */
  show(answer: Answer): Promise<void>;
  /** The channel and message id, remembered so the flow's later updates edit the same message. */
  where: { channel: string; messageId: string } | null;
}

export interface PurchaseMessageLog {
  rememberPurchaseMessage(input: {
    purchaseId: string;
    platform: ChatPlatform;
    channel: string;
    messageId: string;
    workspaceId: string;
  }): Promise<void>;
}

/**
 * An Approve / Reject button was pressed, on Slack or Discord alike: decide as the presser (only
 * owners and admins may), then bring the message up to date for everyone. A refusal goes to the
 * presser alone; a message that is stale (decided elsewhere) is refreshed either way, and never
 * left showing an older status than the flow's own updates wrote meanwhile.
 */
export async function pressApprovalButton(input: {
  core: BotCore;
  messages: PurchaseMessageLog;
  asker: Asker & { platform: ChatPlatform };
  purchaseId: string;
  decision: 'approve' | 'reject';
  message: ApprovalMessage;
}): Promise<void> {
  const { core, asker, message } = input;
  const result = await core.decide(asker, input.purchaseId, input.decision);
  if (!result.ok) {
    await message.tellPresser(result.answer);
    if (result.purchase && result.purchase.status !== 'pending_approval') {
      await message.show(await core.purchaseMessage(result.purchase));
    }
    return;
  }
  await message.show(result.answer);
  if (message.where && result.purchase?.workspaceId) {
    await input.messages.rememberPurchaseMessage({
      purchaseId: result.purchase.id,
      platform: asker.platform,
      channel: message.where.channel,
      messageId: message.where.messageId,
      workspaceId: result.purchase.workspaceId,
    });
  }
  const newer = result.purchase ? await core.newerPurchaseMessage(result.purchase) : null;
  if (newer) await message.show(newer);
}
