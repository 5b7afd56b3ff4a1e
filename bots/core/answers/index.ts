import type { ChatAction } from '../../../application/policies.js';
import type { UsageChartBy } from '../../../application/usage-chart.js';
import { refuseUnlessAllowed } from '../access.js';
import type { AnswerContext } from '../context.js';
import { help } from '../replies.js';
import type { Answer } from '../types.js';
import { alertsAnswer, setAlertsAnswer } from './alerts.js';
import { auditAnswer } from './audit.js';
import { autoTopUpAnswer, setAutoTopUpAnswer } from './auto-top-up.js';
import { balanceAnswer, renewalAnswer, runwayAnswer } from './balance.js';
import { budgetsAnswer, decideRaiseAnswer, requestRaiseAnswer, setBudgetAnswer } from './budgets.js';
import { campaignAnswer, estimateAnswer } from './estimate.js';
import { historyAnswer, usageAnswer } from './history.js';
import { keysAnswer } from './keys.js';
import { needCreditsAnswer } from './need-credits.js';
import { creditTypesAnswer, planAnswer } from './plan.js';
import { buyAnswer, decideAnswer, pendingAnswer } from './purchase.js';
import { refundAnswer } from './refund.js';
import { signInAnswer } from './sign-in.js';
import { smallTalkAnswer } from './small-talk.js';
import { type UsageInWindow, usageInWindow } from './usage.js';
import { whyAnswer } from './why.js';

/**
 * Every question chat can answer, by its name in the policy table (application/policies.ts
 * CHAT_POLICIES): an answer without a policy does not compile. Each takes the answer context and
 * typed parameters; reading the text is the dispatcher's job.
 */
export const ANSWERS = {
  help: async (_ctx: AnswerContext, params: { reason?: string } = {}) => help(params.reason),
  balance: balanceAnswer,
  renewal: (ctx: AnswerContext, _params: Record<string, never> = {}) => renewalAnswer(ctx),
  runway: (ctx: AnswerContext, _params: Record<string, never> = {}) => runwayAnswer(ctx),
  why: whyAnswer,
  estimate: estimateAnswer,
  campaign: campaignAnswer,
  history: historyAnswer,
  usage: (ctx: AnswerContext, params: { by?: UsageChartBy } | UsageInWindow = {}) =>
    'window' in params ? usageInWindow(ctx, params) : usageAnswer(ctx, params),
  alerts: (ctx: AnswerContext, _params: Record<string, never> = {}) => alertsAnswer(ctx),
  setAlerts: setAlertsAnswer,
  buy: buyAnswer,
  pending: (ctx: AnswerContext, _params: Record<string, never> = {}) => pendingAnswer(ctx),
  decide: decideAnswer,
  budgets: budgetsAnswer,
  setBudget: setBudgetAnswer,
  requestRaise: requestRaiseAnswer,
  decideRaise: decideRaiseAnswer,
  audit: auditAnswer,
  plan: (ctx: AnswerContext, _params: Record<string, never> = {}) => planAnswer(ctx),
  creditTypes: (ctx: AnswerContext, _params: Record<string, never> = {}) => creditTypesAnswer(ctx),
  autoTopUp: (ctx: AnswerContext, _params: Record<string, never> = {}) => autoTopUpAnswer(ctx),
  setAutoTopUp: setAutoTopUpAnswer,
  needCredits: (ctx: AnswerContext, _params: Record<string, never> = {}) => needCreditsAnswer(ctx),
  keys: (ctx: AnswerContext, _params: Record<string, never> = {}) => keysAnswer(ctx),
  smallTalk: smallTalkAnswer,
  web: (ctx: AnswerContext, _params: Record<string, never> = {}) => signInAnswer(ctx),
  refund: refundAnswer,
} satisfies { [A in ChatAction]: (ctx: AnswerContext, params: never) => Promise<Answer> };

export type AnswerParams<A extends ChatAction> = Parameters<(typeof ANSWERS)[A]>[1];

/**
 * Answers `action` for the asker in `ctx` when the policy table lets them ask it, else the polite
 * refusal. The one way the dispatcher reaches an answer, so no question skips its policy.
 */
export function ask<A extends ChatAction>(
  ctx: AnswerContext,
  action: A,
  ...params: undefined extends AnswerParams<A> ? [AnswerParams<A>?] : [AnswerParams<A>]
): Promise<Answer> {
  const refused = refuseUnlessAllowed(ctx.who, ctx.platform, action);
  if (refused) return Promise.resolve(refused);
  const answer = ANSWERS[action] as (ctx: AnswerContext, params: unknown) => Promise<Answer>;
  return answer(ctx, params[0]);
}
