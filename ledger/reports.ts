import type { Sql } from './db.js';
import { CreditsError } from './errors.js';
import { entryColumns, rowToTransaction } from './queries.js';
import { ENTRY_KINDS, type EntryKind, SOURCES, type Source, type Transaction } from './types.js';

/** Read-only views of the journal: history with filters and cursor pagination, usage grouped. */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface TransactionFilter {
  kind?: EntryKind;
  operation?: string;
  actor?: string;
  source?: Source;
  /** Inclusive lower bound on the entry's time. */
  from?: Date | string;
  /** Exclusive upper bound on the entry's time. */
  to?: Date | string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

export interface TransactionPage {
  /** Newest first. */
  items: Transaction[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export type UsageGroupBy = 'operation' | 'actor' | 'day';
export const USAGE_GROUPS: readonly UsageGroupBy[] = ['operation', 'actor', 'day'];

export interface UsageQuery {
  groupBy: UsageGroupBy;
  from?: Date | string;
  to?: Date | string;
}

export interface UsageGroup {
  /** Operation key, actor, or UTC day `YYYY-MM-DD`; null when the entries name no operation / actor. */
  key: string | null;
  /** Credits debited minus credits refunded by reversals of those debits. */
  used: number;
  /** Number of debits. */
  count: number;
}

export interface Usage {
  groupBy: UsageGroupBy;
  from: string | null;
  to: string | null;
  total: number;
  groups: UsageGroup[];
}

export function encodeCursor(id: string | number): string {
  return Buffer.from(`j:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^j:([1-9]\d{0,15})$/.exec(text);
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id))
    throw CreditsError.field('cursor', 'is not a cursor returned by a previous page');
  return id;
}

function parseTime(field: string, value: Date | string | undefined): Date | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw CreditsError.field(field, 'must be an ISO-8601 date-time');
  return date;
}

function timeRange(
  from: Date | string | undefined,
  to: Date | string | undefined,
): [Date | null, Date | null] {
  const start = parseTime('from', from);
  const end = parseTime('to', to);
  if (start && end && start.getTime() >= end.getTime()) throw CreditsError.field('to', 'must be after from');
  return [start, end];
}

async function assertWorkspace(sql: Sql, workspaceId: string): Promise<void> {
  const [row] = await sql`SELECT 1 FROM workspaces WHERE id = ${workspaceId}`;
  if (!row) throw CreditsError.notFound('workspace', workspaceId);
}

/** A workspace's journal, newest first, filtered; pages are stable while new entries arrive. */
export async function transactions(
  sql: Sql,
  workspaceId: string,
  filter: TransactionFilter = {},
): Promise<TransactionPage> {
  if (filter.kind !== undefined && !ENTRY_KINDS.includes(filter.kind)) {
    throw CreditsError.field('kind', `must be one of ${ENTRY_KINDS.join(', ')}`);
  }
  if (filter.source !== undefined && !SOURCES.includes(filter.source)) {
    throw CreditsError.field('source', `must be one of ${SOURCES.join(', ')}`);
  }
  const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw CreditsError.field('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const [from, to] = timeRange(filter.from, filter.to);
  const before = filter.cursor !== undefined ? decodeCursor(filter.cursor) : null;
  await assertWorkspace(sql, workspaceId);
  const rows = await sql`
    SELECT ${entryColumns(sql)} FROM journal j
     WHERE j.workspace_id = ${workspaceId}
       ${filter.kind !== undefined ? sql`AND j.kind = ${filter.kind}` : sql``}
       ${filter.operation !== undefined ? sql`AND j.operation = ${filter.operation}` : sql``}
       ${filter.actor !== undefined ? sql`AND j.actor = ${filter.actor}` : sql``}
       ${filter.source !== undefined ? sql`AND j.source = ${filter.source}` : sql``}
       ${from ? sql`AND j.created_at >= ${from}` : sql``}
       ${to ? sql`AND j.created_at < ${to}` : sql``}
       ${before !== null ? sql`AND j.id < ${before}` : sql``}
     ORDER BY j.id DESC
     LIMIT ${limit + 1}`;
  const items = rows.slice(0, limit).map(rowToTransaction);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

const DAY_MS = 86_400_000;

/**
 * The debits and reversals of [from, to) as rows of (day, operation, actor, used, debits), for the
 * usage reports to group: the whole UTC days inside the window from the rollup kept by the
 * journal's trigger (`usage_daily_detail`, migration 024: a few rows a day), and only the partial
 * days at its edges from the journal itself. A reversal counts on its own day under the operation
 * and actor of the debit it refunds (its own operation when that debit names none).
 */
function usageParts(sql: Sql, workspaceId: string, from: Date | null, to: Date | null) {
  const firstWhole = from === null ? null : Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const endWhole = to === null ? null : Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  const wholeDays = firstWhole === null || endWhole === null || firstWhole < endWhole;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const edges: [Date | null, Date | null][] = wholeDays
    ? [
        ...(from !== null && firstWhole! > from.getTime()
          ? [[from, new Date(firstWhole!)] as [Date, Date]]
          : []),
        ...(to !== null && endWhole! < to.getTime() ? [[new Date(endWhole!), to] as [Date, Date]] : []),
      ]
    : [[from, to]];
  const rollup = sql`
    SELECT to_char(r.day, 'YYYY-MM-DD') AS day, r.operation, r.actor, r.used, r.debits
      FROM usage_daily_detail r
     WHERE r.workspace_id = ${workspaceId}
       ${firstWhole !== null ? sql`AND r.day >= ${date(firstWhole)}::date` : sql``}
       ${endWhole !== null ? sql`AND r.day < ${date(endWhole)}::date` : sql``}`;
  if (edges.length === 0) return rollup;
  const inEdges = edges.map(
    ([start, end]) =>
      sql`(${start ? sql`j.created_at >= ${start}` : sql`true`} AND ${end ? sql`j.created_at < ${end}` : sql`true`})`,
  );
  const journal = sql`
    SELECT to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           CASE WHEN j.kind = 'reverse'
                THEN coalesce((SELECT o.operation FROM journal o WHERE o.id = j.reverses_id), j.operation)
                ELSE j.operation END AS operation,
           CASE WHEN j.kind = 'reverse' THEN (SELECT o.actor FROM journal o WHERE o.id = j.reverses_id)
                ELSE j.actor END AS actor,
           -j.delta AS used, (j.kind = 'debit')::int AS debits
      FROM journal j
     WHERE j.workspace_id = ${workspaceId} AND j.kind IN ('debit', 'reverse')
       AND (${inEdges[0]!} ${inEdges[1] ? sql`OR ${inEdges[1]}` : sql``})`;
  return wholeDays ? sql`${rollup} UNION ALL ${journal}` : journal;
}

/**
 * Credits used, grouped. A reversal counts against the debit it refunds: under that debit's
 * operation and actor (for `day`, under the day the refund happened), so `total` equals debits
 * minus reversals in the window, like the workspace's lifetime usage.
 */
export async function usage(sql: Sql, workspaceId: string, query: UsageQuery): Promise<Usage> {
  if (!USAGE_GROUPS.includes(query.groupBy)) {
    throw CreditsError.field('groupBy', `must be one of ${USAGE_GROUPS.join(', ')}`);
  }
  const [from, to] = timeRange(query.from, query.to);
  await assertWorkspace(sql, workspaceId);
  const rows = await sql`
    SELECT u.${sql(query.groupBy)} AS key, sum(u.used)::bigint AS used, sum(u.debits)::bigint AS count
      FROM (${usageParts(sql, workspaceId, from, to)}) u
     GROUP BY 1
     ORDER BY ${query.groupBy === 'day' ? sql`1` : sql`2 DESC, 1 NULLS LAST`}`;
  const groups = rows.map((r) => ({
    key: (r.key as string | null) ?? null,
    used: Number(r.used),
    count: Number(r.count),
  }));
  return {
    groupBy: query.groupBy,
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    total: groups.reduce((s, g) => s + g.used, 0),
    groups,
  };
}

/** Whole UTC days before today that `recentUsage` covers, besides today. */
export const RECENT_USAGE_DAYS = 30;

export interface RecentUsage {
  /** 00:00 UTC of the window's first day: `days` whole UTC days before `now`'s day. */
  from: Date;
  /** Credits used (debits minus their reversals) per UTC day, oldest first; days without usage are absent. */
  perDay: { day: string; used: number }[];
  /** Their sum. */
  used: number;
  /** When the workspace got its first lot, or null before any. */
  firstGrantAt: Date | null;
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Credits used over the last `days` whole UTC days plus today (everything recorded on today's
 * date so far), and when the first lot was granted: enough for a burn rate. It reads the per-day
 * rollup (`usage_daily`, kept by a trigger on the journal: the same rule as `usage`, a refund on
 * the day it happened), so it costs at most `days + 1` rows whatever the journal's size.
 */
export async function recentUsage(
  sql: Sql,
  workspaceId: string,
  now: Date,
  days = RECENT_USAGE_DAYS,
): Promise<RecentUsage> {
  if (Number.isNaN(now.getTime())) throw CreditsError.field('now', 'must be a valid date');
  if (!Number.isSafeInteger(days) || days < 0 || days > 366) {
    throw CreditsError.field('days', 'must be a whole number from 0 to 366');
  }
  const today = utcDay(now);
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000);
  const [row] = await sql`
    SELECT (SELECT min(granted_at) FROM lots WHERE workspace_id = ${workspaceId}) AS first,
           coalesce((SELECT json_agg(json_build_array(to_char(u.day, 'YYYY-MM-DD'), u.used::text) ORDER BY u.day)
                       FROM usage_daily u
                      WHERE u.workspace_id = ${workspaceId}
                        AND u.day >= ${utcDay(from)}::date AND u.day <= ${today}::date), '[]') AS days`;
  const perDay = ((row?.days ?? []) as [string, string][]).map(([day, used]) => ({
    day,
    used: Number(used),
  }));
  return {
    from,
    perDay,
    used: perDay.reduce((sum, d) => sum + d.used, 0),
    firstGrantAt: row?.first ? new Date(row.first as string) : null,
  };
}

export type DailyUsageBy = 'operation' | 'actor';

export interface DailyUsageRow {
  /** UTC day `YYYY-MM-DD`. */
  day: string;
  /** Operation key or actor; null when the entries name none. */
  key: string | null;
  used: number;
}

/**
 * Credits used per UTC day and operation (or actor), `from` inclusive to `to` exclusive, with the
 * same reversal rule as `usage`: a refund counts under its debit's operation / actor, on the day
 * of the refund. Days without usage are absent.
 */
export async function dailyUsage(
  sql: Sql,
  workspaceId: string,
  query: { by: DailyUsageBy; from: Date | string; to: Date | string },
): Promise<DailyUsageRow[]> {
  if (query.by !== 'operation' && query.by !== 'actor') {
    throw CreditsError.field('by', 'must be one of operation, actor');
  }
  const [from, to] = timeRange(query.from, query.to);
  await assertWorkspace(sql, workspaceId);
  const rows = await sql`
    SELECT u.day, u.${sql(query.by)} AS key, sum(u.used)::bigint AS used
      FROM (${usageParts(sql, workspaceId, from, to)}) u
     GROUP BY 1, 2
     ORDER BY 1, 3 DESC, 2 NULLS LAST`;
  return rows.map((r) => ({
    day: r.day as string,
    key: (r.key as string | null) ?? null,
    used: Number(r.used),
  }));
}

/** The journal's read side bound to a database: adapters get this, never the connection itself. */
export class Reports {
  constructor(private readonly sql: Sql) {}

  transactions(workspaceId: string, filter: TransactionFilter = {}): Promise<TransactionPage> {
    return transactions(this.sql, workspaceId, filter);
  }

  usage(workspaceId: string, query: UsageQuery): Promise<Usage> {
    return usage(this.sql, workspaceId, query);
  }

  dailyUsage(
    workspaceId: string,
    query: { by: DailyUsageBy; from: Date | string; to: Date | string },
  ): Promise<DailyUsageRow[]> {
    return dailyUsage(this.sql, workspaceId, query);
  }
}
