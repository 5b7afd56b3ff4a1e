import type { Sql } from '../db.js';
import { decodeCursor, encodeCursor } from '../reports.js';

/** One change of who may do what, or one decision: append-only (a trigger refuses edits). */
export interface AuditEntry {
  id: string;
  workspaceId: string;
  /** e.g. `key.created`, `key.revoked`, `member.added`, `alerts.changed`, `auto_top_up.changed`, `purchase.approved`. */
  action: string;
  /** `operator`, `key:<id>`, `member:<id>`. */
  actor: string;
  /** api, slack, discord, console, cli, mcp, n8n, workflow. */
  channel: string;
  target: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

type Runner = Pick<Sql, 'unsafe'> & Sql;

/** The `audit_log` table. `record` takes the transaction of the change it describes, so both commit or neither. */
export class AuditLog {
  constructor(private readonly sql: Sql) {}

  /** Appends the entry; returns its id. */
  async record(entry: AuditInput, tx: Runner = this.sql): Promise<string> {
    const [row] = await tx`
      INSERT INTO audit_log (workspace_id, action, actor, channel, target, before, after)
      VALUES (${entry.workspaceId}, ${entry.action}, ${entry.actor}, ${entry.channel}, ${entry.target},
              ${entry.before === undefined ? null : tx.json(entry.before as never)},
              ${entry.after === undefined ? null : tx.json(entry.after as never)})
      RETURNING id`;
    return String(row!.id);
  }

  /** One entry of the workspace, or null (also for an id that is not a number). */
  async entry(workspaceId: string, id: string): Promise<AuditEntry | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const [r] = await this.sql`SELECT * FROM audit_log WHERE workspace_id = ${workspaceId} AND id = ${id}`;
    return r ? toEntry(r) : null;
  }

  /** Newest first, with a cursor for the next page. */
  async list(
    workspaceId: string,
    options: { limit?: number; cursor?: string; action?: string } = {},
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const before = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = await this.sql`
      SELECT * FROM audit_log
       WHERE workspace_id = ${workspaceId}
         AND (${before}::bigint IS NULL OR id < ${before})
         AND (${options.action ?? null}::text IS NULL OR action = ${options.action ?? null})
       ORDER BY id DESC LIMIT ${limit + 1}`;
    const items = rows.slice(0, limit).map(toEntry);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items.at(-1)!.id) : null };
  }
}

function toEntry(r: Record<string, unknown>): AuditEntry {
  return {
    id: String(r.id),
    workspaceId: r.workspace_id as string,
    action: r.action as string,
    actor: r.actor as string,
    channel: r.channel as string,
    target: (r.target as string | null) ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
    at: (r.created_at as Date).toISOString(),
  };
}
