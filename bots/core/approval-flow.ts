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
  const { core, asker } = input;
  return pressButton(input, {
    decide: async () => {
      const r = await core.decide(asker, input.purchaseId, input.decision);
      return { ok: r.ok, answer: r.answer, item: r.purchase };
    },
    message: (p) => core.purchaseMessage(p),
    newer: (p) => core.newerPurchaseMessage(p),
  });
}

/** The same for a budget raise's Approve / Reject (`purchaseId` carries the raise id). */
export async function pressRaiseButton(input: Parameters<typeof pressApprovalButton>[0]): Promise<void> {
  const { core, asker } = input;
  const desk = core.raiseDesk;
  return pressButton(input, {
    decide: async () => {
      const r = await core.decideRaise(asker, input.purchaseId, input.decision);
      return { ok: r.ok, answer: r.answer, item: r.raise };
    },
    message: (r) => desk.message(r),
    newer: (r) => desk.newerMessage(r),
  });
}

interface Flow<T> {
  decide(): Promise<{ ok: boolean; answer: Answer; item?: T }>;
  message(item: T): Promise<Answer>;
  newer(item: T): Promise<Answer | null>;
}

async function pressButton<T extends { id: string; status: string; workspaceId: string }>(
  input: Parameters<typeof pressApprovalButton>[0],
  flow: Flow<T>,
): Promise<void> {
  const { asker, message } = input;
  const result = await flow.decide();
  if (!result.ok) {
    await message.tellPresser(result.answer);
    if (result.item && result.item.status !== 'pending_approval') {
      await message.show(await flow.message(result.item));
    }
    return;
  }
  await message.show(result.answer);
  if (message.where && result.item?.workspaceId) {
    await input.messages.rememberPurchaseMessage({
      purchaseId: result.item.id,
      platform: asker.platform,
      channel: message.where.channel,
      messageId: message.where.messageId,
      workspaceId: result.item.workspaceId,
    });
  }
  const newer = result.item ? await flow.newer(result.item) : null;
  if (newer) await message.show(newer);
}
