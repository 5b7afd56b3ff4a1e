import type { PurchaseMessageLog } from '../../core/approval-flow.js';
import type { BotCore } from '../../core/core.js';

/** What every Slack listener is handed by app.ts. */
export interface ListenerDeps {
  core: BotCore;
  /** Where approval messages are remembered, so the flow's later updates edit the same message. */
  messages: PurchaseMessageLog;
  /** How long a slash command may compute before it acks "working on it" and answers via respond. */
  ackBudgetMs: number;
}
