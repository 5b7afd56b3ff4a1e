import { randomBytes } from 'node:crypto';
import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { BUDGET_PERIODS, type BudgetPeriod } from '../types.js';
import { type AuditInput, AuditLog } from './audit-log.js';

/**
 * The `budgets` table: limits inside a workspace's shared pool. The debit and hold functions
 * enforce them (credits_budget_state, credits_budget_check); this store writes them, each change
 * with its audit entry in one transaction, and reads them with their current period's usage.
 */

export { BUDGET_PERIODS, type BudgetPeriod };

export const BUDGET_SUBJECT_KINDS = ['member', 'api_key', 'actor', 'operation'] as const;
export type BudgetSubjectKind = (typeof BUDGET_SUBJECT_KINDS)[number];

/** What a budget limits, as the API names it: exactly one of these. */
export type BudgetSubject =
  | { member: string }
  | { apiKey: string }
  | { actor: string }
  | { operation: string };

export interface Budget {
  id: string;
  workspaceId: string;
  subjectKind: BudgetSubjectKind;
  subject: string;
  period: BudgetPeriod;
  /** The limit as set, without raises. */
  limit: number;
  perDebitMax: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A budget with its current period: `limit` there includes the period's approved raises. */
export interface BudgetUsage {
  periodStart: string;
  resetsAt: string;
  /** The period's limit: the budget's own plus its approved raises for the period. */
  limit: number;
  /** Approved raises of the period. */
  raised: number;
  /** Debits and captures counted (less reversals) plus what active holds keep. */
  used: number;
  remaining: number;
}

export type BudgetWithUsage = Budget & { usage: BudgetUsage };

export interface BudgetInput {
  subjectKind: BudgetSubjectKind;
  subject: string;
  period: BudgetPeriod;
  limit: number;
  perDebitMax?: number | null;
}

export type BudgetChange = Partial<Pick<BudgetInput, 'period' | 'limit' | 'perDebitMax'>>;

export type BudgetActor = Pick<AuditInput, 'actor' | 'channel'>;

const SUBJECT_FIELD: Record<BudgetSubjectKind, 'member' | 'apiKey' | 'actor' | 'operation'> = {
  member: 'member',
  api_key: 'apiKey',
  actor: 'actor',
  operation: 'operation',
};

/** `{ member: 'sam' }` for a member budget on sam, and so on. */
export function subjectOf(budget: Pick<Budget, 'subjectKind' | 'subject'>): BudgetSubject {
  return { [SUBJECT_FIELD[budget.subjectKind]]: budget.subject } as BudgetSubject;
}

export function rowToBudget(r: Record<string, unknown>): Budget {
  return {
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    subjectKind: r.subject_kind as BudgetSubjectKind,
    subject: r.subject as string,
    period: r.period as BudgetPeriod,
    limit: Number(r.limit_credits),
    perDebitMax: r.per_debit_max == null ? null : Number(r.per_debit_max),
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

function auditView(b: Budget) {
  return { subject: subjectOf(b), period: b.period, limit: b.limit, perDebitMax: b.perDebitMax };
}

/** The period of `period` containing `at` for a workspace (its billing anchor for `cycle`). */
export async function budgetPeriod(
  sql: Sql,
  workspaceId: string,
  period: BudgetPeriod,
  at: Date,
): Promise<{ start: Date; end: Date }> {
  const [row] = await sql`
    SELECT p.period_start, p.period_end FROM workspaces w
     CROSS JOIN LATERAL credits_budget_period(${period}, w.billing_anchor, ${at}) p
     WHERE w.id = ${workspaceId}`;
  if (!row) throw CreditsError.notFound('workspace', workspaceId);
  return { start: row.period_start as Date, end: row.period_end as Date };
}

export class BudgetStore {
  private readonly audit: AuditLog;

  constructor(private readonly sql: Sql) {
    this.audit = new AuditLog(sql);
  }

  /** Adds a budget; a live budget on the same subject and period is a conflict. */
  async create(workspaceId: string, input: BudgetInput, by: BudgetActor): Promise<Budget> {
    const id = `bud_${randomBytes(8).toString('hex')}`;
    try {
      return await this.sql.begin(async (tx) => {
        const [row] = await tx`
          INSERT INTO budgets (id, workspace_id, subject_kind, subject, period, limit_credits, per_debit_max)
          VALUES (${id}, ${workspaceId}, ${input.subjectKind}, ${input.subject}, ${input.period},
                  ${input.limit}, ${input.perDebitMax ?? null})
          RETURNING *`;
        const budget = rowToBudget(row!);
        await this.audit.record(
          {
            workspaceId,
            action: 'budget.created',
            target: id,
            before: null,
            after: auditView(budget),
            ...by,
          },
          tx as unknown as Sql,
        );
        return budget;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new CreditsError('conflict', `a ${input.period} budget on this subject exists already`, {
          subject: subjectOf(input),
          period: input.period,
        });
      }
      throw err;
    }
  }

  /** A live budget, or null (deleted, or not there). */
  async get(id: string): Promise<Budget | null> {
    const [row] = await this.sql`SELECT * FROM budgets WHERE id = ${id} AND deleted_at IS NULL`;
    return row ? rowToBudget(row) : null;
  }

  async list(workspaceId: string): Promise<Budget[]> {
    const rows = await this.sql`
      SELECT * FROM budgets WHERE workspace_id = ${workspaceId} AND deleted_at IS NULL
       ORDER BY created_at, id`;
    return rows.map(rowToBudget);
  }

  /** Changes a live budget's period, limit or cap per debit; null when there is none. */
  async update(id: string, change: BudgetChange, by: BudgetActor): Promise<Budget | null> {
    try {
      return await this.sql.begin(async (tx) => {
        const [row] = await tx`SELECT * FROM budgets WHERE id = ${id} AND deleted_at IS NULL FOR UPDATE`;
        if (!row) return null;
        const before = rowToBudget(row);
        const perDebitMax = change.perDebitMax === undefined ? before.perDebitMax : change.perDebitMax;
        const [updated] = await tx`
          UPDATE budgets SET period = ${change.period ?? before.period},
                 limit_credits = ${change.limit ?? before.limit}, per_debit_max = ${perDebitMax},
                 updated_at = now()
           WHERE id = ${id} RETURNING *`;
        const after = rowToBudget(updated!);
        await this.audit.record(
          {
            workspaceId: before.workspaceId,
            action: 'budget.changed',
            target: id,
            before: auditView(before),
            after: auditView(after),
            ...by,
          },
          tx as unknown as Sql,
        );
        return after;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new CreditsError('conflict', `a ${change.period} budget on this subject exists already`, {
          period: change.period,
        });
      }
      throw err;
    }
  }

  /** Ends a budget (its rows stay for the journal's references); null when there is none. */
  async softDelete(id: string, by: BudgetActor): Promise<Budget | null> {
    return this.sql.begin(async (tx) => {
      const [row] = await tx`
        UPDATE budgets SET deleted_at = now(), updated_at = now()
         WHERE id = ${id} AND deleted_at IS NULL RETURNING *`;
      if (!row) return null;
      const budget = rowToBudget(row);
      await this.audit.record(
        {
          workspaceId: budget.workspaceId,
          action: 'budget.deleted',
          target: id,
          before: auditView(budget),
          after: null,
          ...by,
        },
        tx as unknown as Sql,
      );
      return budget;
    });
  }

  /** The current period of each live budget of a workspace, by budget id. */
  async usage(workspaceId: string, now: Date): Promise<Map<string, BudgetUsage>> {
    const rows = await this.sql`
      SELECT s.*, b.limit_credits FROM credits_budget_state(${now}, ${[workspaceId]}::text[]) s
        JOIN budgets b ON b.id = s.id`;
    return new Map(
      rows.map((r) => {
        const limit = Number(r.lim);
        const used = Number(r.used) + Number(r.held);
        return [
          r.id as string,
          {
            periodStart: (r.period_start as Date).toISOString(),
            resetsAt: (r.period_end as Date).toISOString(),
            limit,
            raised: limit - Number(r.limit_credits),
            used,
            remaining: Math.max(0, limit - used),
          },
        ];
      }),
    );
  }

  /** Live budgets of a workspace with their current period's usage. */
  async listWithUsage(workspaceId: string, now: Date): Promise<BudgetWithUsage[]> {
    const [budgets, usage] = await Promise.all([this.list(workspaceId), this.usage(workspaceId, now)]);
    return budgets.flatMap((b) => {
      const u = usage.get(b.id);
      return u ? [{ ...b, usage: u }] : [];
    });
  }

  /** One live budget with its current period's usage, or null. */
  async getWithUsage(id: string, now: Date): Promise<BudgetWithUsage | null> {
    const budget = await this.get(id);
    if (!budget) return null;
    const u = (await this.usage(budget.workspaceId, now)).get(budget.id);
    return u ? { ...budget, usage: u } : null;
  }
}
