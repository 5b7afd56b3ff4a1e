import { CreditsError } from '../ledger/errors.js';
import type { AuditedChanges } from '../ledger/stores/audited-changes.js';
import type { BudgetRaise } from '../ledger/stores/budget-raises.js';
import { authorize, type Channel, deciderOf, type Principal } from './access.js';

export type { BudgetRaise, RaiseStatus } from '../ledger/stores/budget-raises.js';
export { RAISE_STATUSES } from '../ledger/stores/budget-raises.js';

/** A budget's subject: exactly one kind. */
export type BudgetSubject =
  | { member: string }
  | { apiKey: string }
  | { actor: string }
  | { operation: string };

/** What a raise needs to know of a budget: whose it is, and the period a raise would be for. */
export interface RaisableBudget {
  id: string;
  workspaceId: string;
  subject: BudgetSubject;
  period: string;
  limit: number;
  /** The current period: a raise is for it and ends with it. */
  periodStart: string;
  periodEnd: string;
}

/** Finds a budget by id (null when there is none); built by runtime/ from the ledger's budgets. */
export interface BudgetLookup {
  raisable(budgetId: string): Promise<RaisableBudget | null>;
}

/**
 * The raise port: durable flows that ask approvers for more of one budget in its current period
 * (implemented on Temporal by workflows/budget-raise). Refusals are CreditsErrors as for purchases:
 * `not_found` (also another workspace's id when `scope.workspaceId` is set), `forbidden`,
 * `conflict` (already decided), `invalid_request` naming the field.
 */
export interface BudgetRaises {
  request(
    budget: RaisableBudget,
    input: { amount: number; reason: string; requestedBy: string | null; source: string },
  ): Promise<BudgetRaise>;
  get(id: string, scope: { workspaceId?: string }): Promise<BudgetRaise>;
  pending(workspaceId: string): Promise<BudgetRaise[]>;
  approve(
    id: string,
    input: { by: string; channel?: string },
    scope: { workspaceId?: string },
  ): Promise<BudgetRaise>;
  reject(
    id: string,
    input: { by: string; reason?: string; channel?: string },
    scope: { workspaceId?: string },
  ): Promise<BudgetRaise>;
}

/** "Sam's" / "key k1's" / "agent:support's" / "the image operation's": a subject in a sentence. */
export function describeSubject(subject: BudgetSubject): string {
  if ('member' in subject) return `member ${subject.member}`;
  if ('apiKey' in subject) return `API key ${subject.apiKey}`;
  if ('actor' in subject) return subject.actor;
  return `operation ${subject.operation}`;
}

/**
 * Whether `principal` may ask for more of `budget`: only a budget that applies to its own
 * spending. A key: its own key budget, its bound member's, an actor it spends as (`key:<id>`,
 * `member:<bound>`, or a named automation or agent, which any spending key may claim in its
 * debits), and any operation's (they apply to every spender). A chat or console member: their own
 * and any operation's. Someone else's member or key budget is refused: a lesser key must not put
 * a person's budget in front of the approvers.
 */
export function mayRaise(principal: Principal, subject: BudgetSubject): boolean {
  if (principal.kind === 'operator') return true;
  if ('operation' in subject) return true;
  const member = principal.memberId;
  const key = principal.kind === 'key' ? principal.keyId : null;
  if ('member' in subject) return member !== null && subject.member === member;
  if ('apiKey' in subject) return key !== null && subject.apiKey === key;
  const actor = subject.actor;
  if (actor.startsWith('member:')) return member !== null && actor === `member:${member}`;
  if (actor.startsWith('key:')) return key !== null && actor === `key:${key}`;
  return principal.kind === 'key';
}

/** Who is recorded as asking: the key's member, the key itself, or the chat member. */
export function raiseRequesterOf(principal: Principal): string | null {
  if (principal.kind === 'operator') return principal.keyId ? `key:${principal.keyId}` : 'operator';
  if (principal.kind === 'member') return `member:${principal.memberId}`;
  return principal.memberId ? `member:${principal.memberId}` : `key:${principal.keyId}`;
}

export const MAX_RAISE = 1_000_000_000;

/** Checks the request's fields, naming the first bad one. */
export function checkRaiseInput(input: { amount?: unknown; reason?: unknown }): {
  amount: number;
  reason: string;
} {
  const { amount, reason } = input;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_RAISE) {
    throw CreditsError.field('amount', `must be a whole number of credits from 1 to ${MAX_RAISE}`);
  }
  if (typeof reason !== 'string' || !reason.trim() || reason.length > 500) {
    throw CreditsError.field(
      'reason',
      'is required: why the budget should be raised (at most 500 characters)',
    );
  }
  return { amount, reason: reason.trim() };
}

export interface RaiseDeps {
  raises?: BudgetRaises;
  budgets: BudgetLookup;
  audit: AuditedChanges;
}

function flows(deps: RaiseDeps): BudgetRaises {
  if (!deps.raises) {
    throw new CreditsError('unavailable', 'budget raises need the Temporal worker, which is not connected', {
      service: 'budget-raises',
    });
  }
  return deps.raises;
}

/**
 * Asks the approvers for `amount` more of budget `budgetId` in its current period, as `principal`
 * (`credits:spend`: the spender asks), and audits the request. Another workspace's budget is
 * `not_found`; a budget that does not apply to the principal is `forbidden`.
 */
export async function requestRaise(
  deps: RaiseDeps,
  principal: Principal,
  budgetId: string,
  input: { amount?: unknown; reason?: unknown },
  channel: Channel,
): Promise<BudgetRaise> {
  authorize(principal, { scope: 'credits:spend' });
  const { amount, reason } = checkRaiseInput(input);
  const budget = await deps.budgets.raisable(budgetId);
  if (!budget || (principal.kind !== 'operator' && budget.workspaceId !== principal.workspaceId)) {
    throw CreditsError.notFound('budget', budgetId);
  }
  if (!mayRaise(principal, budget.subject)) {
    throw new CreditsError(
      'forbidden',
      `budget ${budgetId} is the budget of ${describeSubject(budget.subject)}, which this caller does not spend as; only its own spender may ask to raise it`,
      { budgetId },
    );
  }
  const requestedBy = raiseRequesterOf(principal);
  const raise = await flows(deps).request(budget, { amount, reason, requestedBy, source: channel });
  await deps.audit.record({
    workspaceId: budget.workspaceId,
    action: 'budget.raise_requested',
    actor: requestedBy ?? 'operator',
    channel,
    target: raise.id,
    before: null,
    after: { budgetId, amount, reason, status: raise.status, periodEnd: raise.periodEnd },
  });
  return raise;
}

/** Approves or rejects a raise as the principal's member (`purchases:approve`), then audits it. */
export async function decideRaise(
  deps: RaiseDeps,
  principal: Principal,
  id: string,
  decision: { approve: boolean; by?: string; reason?: string },
  channel: Channel,
  scope: { workspaceId?: string },
): Promise<BudgetRaise> {
  authorize(principal, { scope: 'purchases:approve' });
  const by = deciderOf(principal, decision.by);
  const raises = flows(deps);
  const before = await raises.get(id, scope);
  const after = decision.approve
    ? await raises.approve(id, { by, channel }, scope)
    : await raises.reject(
        id,
        { by, channel, ...(decision.reason ? { reason: decision.reason } : {}) },
        scope,
      );
  await deps.audit.record({
    workspaceId: after.workspaceId,
    action: decision.approve ? 'budget.raise_approved' : 'budget.raise_rejected',
    actor: principal.kind === 'key' ? `key:${principal.keyId}` : `member:${by}`,
    channel,
    target: id,
    before: { status: before.status },
    after: {
      status: after.status,
      decidedBy: after.decidedBy,
      budgetId: after.budgetId,
      amount: after.amount,
      ...(decision.reason ? { reason: decision.reason } : {}),
    },
  });
  return after;
}
