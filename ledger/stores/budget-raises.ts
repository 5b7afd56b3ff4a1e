import { randomBytes } from 'node:crypto';
import type { Sql } from '../db.js';
import { budgetPeriod, rowToBudget, subjectOf } from './budgets.js';

/** The `budget_raises` table (migrations 021 and 026): what a raise workflow records, step by step. */

export const RAISE_STATUSES = ['pending_approval', 'approved', 'rejected', 'expired'] as const;
export type RaiseStatus = (typeof RAISE_STATUSES)[number];

/** A request for more of one budget in its current period: what the workflow, the API and the bots see. */
export interface BudgetRaise {
  id: string;
  workspaceId: string;
  budgetId: string;
  amount: number;
  reason: string;
  status: RaiseStatus;
  /** `member:<id>` or `key:<id>`: who asked. */
  requestedBy: string | null;
  /** api, slack, discord, console, web, mcp, n8n… */
  source: string;
  /** The budget period the raise is for; an approved raise counts until `periodEnd`. */
  periodStart: string;
  periodEnd: string;
  approvalDeadline: string | null;
  decidedBy: string | null;
  decidedVia: string | null;
  /** Why it ended as it did (rejected with a reason, expired unanswered). */
  outcome: string | null;
  createdAt: string;
  decidedAt: string | null;
}

const iso = (v: unknown): string | null => (v ? (v as Date).toISOString() : null);

function rowToRaise(r: Record<string, unknown>): BudgetRaise {
  return {
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    budgetId: r.budget_id as string,
    amount: Number(r.amount),
    reason: (r.reason as string | null) ?? '',
    status: r.status as RaiseStatus,
    requestedBy: (r.requested_by as string | null) ?? null,
    source: (r.source as string | null) ?? 'api',
    periodStart: iso(r.period_start)!,
    periodEnd: iso(r.period_end)!,
    approvalDeadline: iso(r.approval_deadline),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedVia: (r.decided_via as string | null) ?? null,
    outcome: (r.outcome as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    decidedAt: iso(r.decided_at),
  };
}

export function newRaiseId(): string {
  return `raise_${randomBytes(8).toString('hex')}`;
}

/** A budget as a raise sees it (application/budget-raises.ts `RaisableBudget`). */
export interface RaisableBudgetRow {
  id: string;
  workspaceId: string;
  subject: { member: string } | { apiKey: string } | { actor: string } | { operation: string };
  period: string;
  limit: number;
  periodStart: string;
  periodEnd: string;
}

export class BudgetRaiseStore {
  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The live budget `budgetId` with its current period, or null (the BudgetLookup port). */
  async raisable(budgetId: string): Promise<RaisableBudgetRow | null> {
    const [row] = await this.sql`SELECT * FROM budgets WHERE id = ${budgetId} AND deleted_at IS NULL`;
    if (!row) return null;
    const budget = rowToBudget(row);
    const { start, end } = await budgetPeriod(this.sql, budget.workspaceId, budget.period, this.clock());
    return {
      id: budget.id,
      workspaceId: budget.workspaceId,
      subject: subjectOf(budget),
      period: budget.period,
      limit: budget.limit,
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
    };
  }

  async insert(r: BudgetRaise): Promise<void> {
    await this.sql`
      INSERT INTO budget_raises (id, workspace_id, budget_id, amount, reason, status, requested_by, source,
                                 period_start, period_end, approval_deadline, created_at)
      VALUES (${r.id}, ${r.workspaceId}, ${r.budgetId}, ${r.amount}, ${r.reason}, 'pending_approval',
              ${r.requestedBy}, ${r.source}, ${r.periodStart}, ${r.periodEnd}, ${r.approvalDeadline},
              ${r.createdAt})`;
  }

  async get(id: string): Promise<BudgetRaise | null> {
    const [row] = await this.sql`SELECT * FROM budget_raises WHERE id = ${id}`;
    return row ? rowToRaise(row) : null;
  }

  /** The workspace's raises waiting for an owner or admin, oldest first. */
  async pending(workspaceId: string): Promise<BudgetRaise[]> {
    const rows = await this.sql`
      SELECT * FROM budget_raises WHERE workspace_id = ${workspaceId} AND status = 'pending_approval'
       ORDER BY created_at, id LIMIT 50`;
    return rows.map(rowToRaise);
  }

  /** The workspace's latest raises, newest first. */
  async recent(workspaceId: string, limit = 50): Promise<BudgetRaise[]> {
    const rows = await this.sql`
      SELECT * FROM budget_raises WHERE workspace_id = ${workspaceId}
       ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
    return rows.map(rowToRaise);
  }

  /**
   * Settles a pending raise (idempotent): a raise leaves `pending_approval` once and is never
   * changed again, so a replayed or forged second outcome writes nothing. The channel of an
   * approval or rejection is the one its decision ticket recorded.
   */
  async settle(
    id: string,
    outcome: {
      status: Exclude<RaiseStatus, 'pending_approval'>;
      decidedBy?: string | null;
      note?: string | null;
    },
  ): Promise<void> {
    await this.sql`
      UPDATE budget_raises SET
        status = ${outcome.status},
        decided_by = ${outcome.decidedBy ?? null},
        decided_via = (SELECT d.channel FROM budget_raise_decisions d
                        WHERE d.raise_id = ${id} AND d.decided_by = ${outcome.decidedBy ?? null}
                        ORDER BY d.created_at DESC LIMIT 1),
        outcome = ${outcome.note ?? null},
        decided_at = now()
      WHERE id = ${id} AND status = 'pending_approval'`;
  }

  /** Records a decision the application took (after checking who decides) and returns its ticket. */
  async recordDecision(d: {
    raiseId: string;
    by: string;
    approved: boolean;
    channel?: string;
  }): Promise<string> {
    const ticket = `dec_${randomBytes(16).toString('hex')}`;
    await this.sql`
      INSERT INTO budget_raise_decisions (ticket, raise_id, decided_by, approved, channel)
      VALUES (${ticket}, ${d.raiseId}, ${d.by}, ${d.approved}, ${d.channel ?? 'api'})`;
    return ticket;
  }

  /** The decision recorded under `ticket`, or null. */
  async decision(ticket: string): Promise<{ raiseId: string; by: string; approved: boolean } | null> {
    const [row] = await this.sql`
      SELECT raise_id, decided_by, approved FROM budget_raise_decisions WHERE ticket = ${ticket}`;
    return row
      ? { raiseId: row.raise_id as string, by: row.decided_by as string, approved: row.approved as boolean }
      : null;
  }
}
