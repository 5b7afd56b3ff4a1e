import type { BudgetSubject } from '../../../application/budget-raises.js';
import { isCreditsError } from '../../../ledger/errors.js';
import { mayDo } from '../access.js';
import type { AnswerContext, BudgetView } from '../context.js';
import { credits, dayTime, n } from '../format.js';
import { PERIOD_WORDS } from '../raise-desk.js';
import { refusal, simple } from '../replies.js';
import type { Answer } from '../types.js';

const NO_BUDGETS =
  'Budgets are not available here: this process was started without the budget store or the raise flow.';

type Ctx = Pick<AnswerContext, 'who' | 'now' | 'platform' | 'budgets' | 'reads'>;

/** Whose a budget is, in words: a member's name, a key, an actor, an operation. */
async function subjectName(ctx: Ctx, subject: BudgetSubject): Promise<string> {
  const memberId =
    'member' in subject
      ? subject.member
      : 'actor' in subject && subject.actor.startsWith('member:')
        ? subject.actor.slice('member:'.length)
        : null;
  if (memberId) return (await ctx.reads.member(memberId))?.name ?? memberId;
  if ('apiKey' in subject) return `key ${subject.apiKey}`;
  if ('actor' in subject) return subject.actor;
  return 'operation' in subject ? `the ${subject.operation} operation` : 'a budget';
}

function isMembers(subject: BudgetSubject, memberId: string): boolean {
  return (
    ('member' in subject && subject.member === memberId) ||
    ('actor' in subject && subject.actor === `member:${memberId}`)
  );
}

async function line(ctx: Ctx, b: BudgetView): Promise<string> {
  const pct = b.limit > 0 ? Math.round((b.used / b.limit) * 100) : 0;
  return `${await subjectName(ctx, b.subject)}: ${n(b.used)} of ${credits(b.limit)} ${PERIOD_WORDS[b.period] ?? b.period} used (${pct} %), ${n(b.remaining)} left, resets ${dayTime(b.resetsAt, ctx.now)} UTC`;
}

/** "what are our budgets" / "how much of his budget has Sam used": used against each limit. */
export async function budgetsAnswer(ctx: Ctx, params: { member?: string } = {}): Promise<Answer> {
  if (!ctx.budgets) return simple('budgets', NO_BUDGETS);
  const member = params.member === '@me' ? ctx.who.member.id : params.member;
  const all = await ctx.budgets.list();
  const shown = member ? all.filter((b) => isMembers(b.subject, member)) : all;
  if (shown.length === 0) {
    const whose = member
      ? `${(await ctx.reads.member(member))?.name ?? member} has no budget`
      : 'There are no budgets';
    const hint = mayDo(ctx.who, 'setBudget') ? ' Set one with e.g. "limit Sam to 500 credits a month".' : '';
    return simple('budgets', `${whose}: spending is limited only by the balance.${hint}`);
  }
  const lines = await Promise.all(shown.map((b) => line(ctx, b)));
  const head = member
    ? `Budget of ${await subjectName(ctx, { member })}:`
    : `Budgets of ${ctx.who.workspaceName}:`;
  const text = [head, ...lines.map((l) => `• ${l}`)].join('\n');
  return { intent: 'budgets', text, blocks: [{ type: 'section', text }], tone: 'info' };
}

/** "limit Sam to 500 credits a month": sets (or changes) a member's budget, as the asker. */
export async function setBudgetAnswer(
  ctx: Ctx,
  params: { member?: string; amount?: number; period?: 'day' | 'week' | 'month' },
): Promise<Answer> {
  if (!ctx.budgets) return simple('budgets', NO_BUDGETS);
  const member = params.member === '@me' ? ctx.who.member.id : params.member;
  if (!member) return simple('budgets', 'Whose budget? Say e.g. "limit Sam to 500 credits a month".');
  if (params.amount === undefined || params.amount <= 0)
    return simple('budgets', `How many credits? Say e.g. "limit ${member} to 500 credits a month".`);
  try {
    const b = await ctx.budgets.set({
      subject: { member },
      period: params.period ?? 'month',
      limit: params.amount,
    });
    const text = `Budget set: ${await line(ctx, b)}. A debit that would go past it is refused with budget_exceeded.`;
    return { intent: 'budgets', text, blocks: [{ type: 'section', text }], tone: 'good' };
  } catch (error) {
    if (isCreditsError(error)) return refusal(`I couldn't set that budget: ${error.message}`);
    throw error;
  }
}

/** "raise my budget by 200 for the launch": asks the approvers for more of the asker's own budget. */
export async function requestRaiseAnswer(
  ctx: Ctx,
  params: { amount?: number; reason: string },
): Promise<Answer> {
  if (!ctx.budgets) return simple('budgets', NO_BUDGETS);
  if (params.amount === undefined || params.amount <= 0)
    return simple('budgets', 'By how much? Say e.g. "raise my budget by 200 for the launch".');
  const mine = (await ctx.budgets.list())
    .filter((b) => isMembers(b.subject, ctx.who.member.id))
    .sort((a, b) => a.remaining - b.remaining);
  const budget = mine[0];
  if (!budget)
    return simple(
      'budgets',
      'You have no budget of your own to raise: your spending is limited only by the balance.',
    );
  try {
    const raise = await ctx.budgets.requestRaise(budget.id, params.amount, params.reason);
    const how =
      ctx.platform === 'console'
        ? `approves it with \`approve ${raise.id}\``
        : 'approves it with the Approve button on the approval message';
    const text = `Raise requested: ${credits(raise.amount)} more of your ${PERIOD_WORDS[budget.period] ?? budget.period} budget (limit ${credits(budget.limit)}) until ${dayTime(raise.periodEnd, ctx.now)} UTC. An owner or admin ${how}.`;
    return {
      intent: 'budgets',
      text,
      blocks: [
        { type: 'section', text },
        { type: 'context', text: `Raise ${raise.id} · pending approval` },
      ],
      tone: 'info',
    };
  } catch (error) {
    if (isCreditsError(error)) return refusal(`I couldn't ask for that raise: ${error.message}`);
    throw error;
  }
}

/** `approve raise_…` / `reject raise_…` where there are no buttons (the console). */
export async function decideRaiseAnswer(
  ctx: Pick<AnswerContext, 'budgets'>,
  params: { raiseId: string; decision: 'approve' | 'reject' },
): Promise<Answer> {
  if (!ctx.budgets) return simple('budgets', NO_BUDGETS);
  return (await ctx.budgets.decideRaise(params.raiseId, params.decision)).answer;
}
