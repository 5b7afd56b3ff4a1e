import type { Sql } from '../db.js';

/** A budget reaching 80 or 100 % of its period's limit (`budget.threshold`), once per period. */
export interface BudgetAlert {
  budgetId: string;
  percent: 80 | 100;
  used: number;
  limit: number;
  periodStart: string;
  resetsAt: string;
}

/** A threshold crossing waiting in the outbox (`alert_events`), as its deliverer receives it. */
export interface OutboxAlert {
  /** alert_events.id */
  id: string;
  workspaceId: string;
  type: 'alert.low' | 'alert.critical' | 'alert.depleted' | 'alert.recovered' | 'budget.threshold';
  level: 'low' | 'critical' | 'depleted' | null;
  threshold: number | null;
  balance: number;
  /** For `recovered`: the levels that re-armed. */
  recovered?: ('low' | 'critical' | 'depleted')[];
  /** For `budget.threshold`: which budget, how far. */
  budget?: BudgetAlert;
  createdAt: string;
}

export function rowToOutboxAlert(r: Record<string, unknown>): OutboxAlert {
  const data = (r.data as { recovered?: OutboxAlert['recovered'] } & Partial<BudgetAlert>) ?? {};
  return {
    id: String(r.id),
    workspaceId: r.workspace_id as string,
    type: r.type as OutboxAlert['type'],
    level: (r.level as OutboxAlert['level']) ?? null,
    threshold: r.threshold == null ? null : Number(r.threshold),
    balance: Number(r.balance),
    ...(data.recovered ? { recovered: data.recovered } : {}),
    ...(r.type === 'budget.threshold'
      ? {
          budget: {
            budgetId: data.budgetId as string,
            percent: data.percent as 80 | 100,
            used: Number(data.used),
            limit: Number(data.limit),
            periodStart: data.periodStart as string,
            resetsAt: data.resetsAt as string,
          },
        }
      : {}),
    createdAt: (r.created_at as Date).toISOString(),
  };
}

/**
 * The alert outbox the ledger writes in the transaction that crosses a threshold. Deliverers
 * claim batches with FOR UPDATE SKIP LOCKED, so any number of replicas share the work.
 */
export class AlertOutbox {
  constructor(private readonly sql: Sql) {}

  /**
   * In one transaction: claims up to `limit` undelivered events (oldest first), hands them to
   * `deliver`, and marks them dispatched once it resolves. When `deliver` throws, nothing is
   * marked and the events stay for the next pass, so `deliver` must tolerate a repeat.
   * Returns how many were dispatched.
   */
  async dispatchPending(limit: number, deliver: (events: OutboxAlert[]) => Promise<void>): Promise<number> {
    return this.sql.begin(async (tx) => {
      const rows = await tx`
        SELECT * FROM alert_events WHERE dispatched_at IS NULL
         ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;
      const events = rows.map(rowToOutboxAlert);
      await deliver(events);
      await tx`UPDATE alert_events SET dispatched_at = now() WHERE id = ANY(${events.map((e) => Number(e.id))}::bigint[])`;
      return events.length;
    });
  }

  /** The event recorded under `id` in `workspaceId`, or null when the ledger never wrote one. */
  async event(workspaceId: string, id: string): Promise<OutboxAlert | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const [row] = await this.sql`
      SELECT * FROM alert_events WHERE id = ${id}::bigint AND workspace_id = ${workspaceId}`;
    return row ? rowToOutboxAlert(row) : null;
  }
}
