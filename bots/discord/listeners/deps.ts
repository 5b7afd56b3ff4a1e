import type { PurchaseMessageLog } from '../../core/approval-flow.js';
import type { BotCore } from '../../core/core.js';

/** What every Discord listener is handed by bot.ts. */
export interface ListenerDeps {
  core: BotCore;
  /** Where approval messages are remembered, so the flow's later updates edit the same message. */
  messages: PurchaseMessageLog;
  /** How long a slash command may compute before it defers and edits the reply later. */
  replyBudgetMs: number;
}

export const NO_MENTIONS = { parse: [] as never[], repliedUser: false };
