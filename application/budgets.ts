import { CreditsError, type FieldIssue } from '../ledger/errors.js';
import {
  BUDGET_PERIODS,
  type BudgetActor,
  type BudgetPeriod,
  type BudgetSubject,
  type BudgetSubjectKind,
  type BudgetWithUsage,
  subjectOf,
} from '../ledger/stores/budgets.js';
import { MAX_AMOUNT } from '../ledger/types.js';
import type { CoreServices } from './services.js';

/**
 * Budgets: limits inside a workspace's shared pool on a member, an API key, an actor string
 * (`automation:…`, `agent:…`) or an operation, per day, week, month (UTC) or subscription cycle.
 * The ledger enforces them in the debit's own transaction; these are the use cases that set and
 * read them, for every adapter (API, chat, MCP, console).
 */

/** What the API, chat and agents are shown of a budget and its current period. */
export interface BudgetView {
  id: string;
  subject: BudgetSubject;
  period: BudgetPeriod;
  /** The limit as set; the period's approved raises are in `raised`. */
  limit: number;
  perDebitMax: number | null;
  /** Counted this period: debits and captures less reversals, plus active holds. */
  used: number;
  /** limit + raised − used, never below zero. */
  remaining: number;
  raised: number;
  periodStart: string;
  resetsAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface BudgetRequest {
  subject: Partial<Record<'member' | 'apiKey' | 'actor' | 'operation', string>>;
  period: BudgetPeriod;
  limit: number;
  perDebitMax?: number | null;
}

export type BudgetPatch = Partial<Pick<BudgetRequest, 'period' | 'limit' | 'perDebitMax'>>;

type Services = Pick<CoreServices, 'ledger' | 'directory' | 'catalog'>;

const KIND_OF_FIELD = {
  member: 'member',
  apiKey: 'api_key',
  actor: 'actor',
  operation: 'operation',
} as const satisfies Record<string, BudgetSubjectKind>;

export function budgetView(b: BudgetWithUsage): BudgetView {
  return {
    id: b.id,
    subject: subjectOf(b),
    period: b.period,
    limit: b.limit,
    perDebitMax: b.perDebitMax,
    used: b.usage.used,
    remaining: b.usage.remaining,
    raised: b.usage.raised,
    periodStart: b.usage.periodStart,
    resetsAt: b.usage.resetsAt,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

/** Checks the limit, the cap per debit and the period, naming each failing field at once. */
function amountIssues(input: BudgetPatch): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const whole = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= MAX_AMOUNT;
  if (input.limit !== undefined && !whole(input.limit)) {
    issues.push({ field: 'limit', message: `must be a whole number of credits from 1 to ${MAX_AMOUNT}` });
  }
  if (input.perDebitMax !== undefined && input.perDebitMax !== null && !whole(input.perDebitMax)) {
    issues.push({
      field: 'perDebitMax',
      message: `must be a whole number of credits from 1 to ${MAX_AMOUNT}, or null`,
    });
  }
  if (input.period !== undefined && !BUDGET_PERIODS.includes(input.period)) {
    issues.push({ field: 'period', message: `must be one of ${BUDGET_PERIODS.join(', ')}` });
  }
  return issues;
}

/** The subject's kind and value, once it is known to exist in the workspace (a key of this workspace, a member, an operation of the catalog). */
async function resolveSubject(
  services: Services,
  workspaceId: string,
  subject: BudgetRequest['subject'],
): Promise<{ subjectKind: BudgetSubjectKind; subject: string }> {
  const given = Object.entries(subject ?? {}).filter(([, v]) => v !== undefined) as [
    keyof typeof KIND_OF_FIELD,
    string,
  ][];
  if (given.length !== 1) {
    throw CreditsError.field('subject', 'give exactly one of member, apiKey, actor, operation');
  }
  const [field, raw] = given[0]!;
  const value = typeof raw === 'string' ? raw.trim() : '';
  const at = `subject.${field}`;
  if (!value || value.length > 200) throw CreditsError.field(at, 'must be 1 to 200 characters');
  switch (field) {
    case 'member':
      if (!(await services.directory.member(workspaceId, value))) {
        throw CreditsError.field(at, `no member ${JSON.stringify(value)} in this workspace`);
      }
      break;
    case 'apiKey': {
      const key = await services.ledger.apiKeys.get(value);
      if (!key || key.workspaceId !== workspaceId) {
        throw CreditsError.field(at, `no API key ${JSON.stringify(value)} in this workspace`);
      }
      break;
    }
    case 'operation':
      if (!services.catalog.operations.some((o) => o.key === value)) {
        throw CreditsError.field(at, `no operation ${JSON.stringify(value)} in the catalog`);
      }
      break;
    case 'actor':
      if (!/^[a-z][a-z0-9_-]*:\S+$/.test(value)) {
        throw CreditsError.field(at, 'must be a kind and a name, like automation:n8n-blog or agent:support');
      }
      break;
  }
  return { subjectKind: KIND_OF_FIELD[field], subject: value };
}

async function withUsage(services: Services, id: string): Promise<BudgetView> {
  const b = await services.ledger.budgets.getWithUsage(id, services.ledger.now());
  if (!b) throw CreditsError.notFound('budget', id);
  return budgetView(b);
}

/** A live budget of the caller's workspace; another workspace's is "not found". */
async function ownBudget(services: Services, id: string, scope: { workspaceId?: string }) {
  const budget = await services.ledger.budgets.get(id);
  if (!budget || (scope.workspaceId && budget.workspaceId !== scope.workspaceId)) {
    throw CreditsError.notFound('budget', id);
  }
  return budget;
}

export async function createBudget(
  services: Services,
  workspaceId: string,
  input: BudgetRequest,
  by: BudgetActor,
): Promise<BudgetView> {
  const issues = amountIssues(input);
  if (input.limit === undefined) issues.push({ field: 'limit', message: 'is required' });
  if (input.period === undefined) issues.push({ field: 'period', message: 'is required' });
  let subject: Awaited<ReturnType<typeof resolveSubject>> | undefined;
  try {
    subject = await resolveSubject(services, workspaceId, input.subject);
  } catch (err) {
    if (!(err instanceof CreditsError) || err.code !== 'invalid_request') throw err;
    issues.push(...(err.details.fields as FieldIssue[]));
  }
  if (issues.length > 0 || !subject) throw CreditsError.invalid(issues);
  const budget = await services.ledger.budgets.create(
    workspaceId,
    { ...subject, period: input.period, limit: input.limit, perDebitMax: input.perDebitMax ?? null },
    by,
  );
  return withUsage(services, budget.id);
}

export async function listBudgets(services: Services, workspaceId: string): Promise<BudgetView[]> {
  return (await services.ledger.budgets.listWithUsage(workspaceId, services.ledger.now())).map(budgetView);
}

export async function getBudget(
  services: Services,
  id: string,
  scope: { workspaceId?: string },
): Promise<BudgetView> {
  await ownBudget(services, id, scope);
  return withUsage(services, id);
}

export async function updateBudget(
  services: Services,
  id: string,
  patch: BudgetPatch,
  by: BudgetActor,
  scope: { workspaceId?: string },
): Promise<BudgetView> {
  const issues = amountIssues(patch);
  if (issues.length > 0) throw CreditsError.invalid(issues);
  await ownBudget(services, id, scope);
  const changed = await services.ledger.budgets.update(id, patch, by);
  if (!changed) throw CreditsError.notFound('budget', id);
  return withUsage(services, id);
}

export async function deleteBudget(
  services: Services,
  id: string,
  by: BudgetActor,
  scope: { workspaceId?: string },
): Promise<void> {
  await ownBudget(services, id, scope);
  if (!(await services.ledger.budgets.softDelete(id, by))) throw CreditsError.notFound('budget', id);
}
