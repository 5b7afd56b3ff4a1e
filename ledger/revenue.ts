import type { Sql } from './db.js';
import { CreditsError } from './errors.js';
import { fromMinor } from './money.js';

/**
 * Credits in money (docs/revenue.md). Every lot has a fixed cost basis (`lots.price_minor`, the
 * price of the whole lot); the money a movement carries is derived from that basis and the
 * journal alone, so a later catalog change never rewrites history:
 *
 *   the first c credits out of a lot are worth floor(price × c / credits) minor units,
 *
 * and a movement is worth that function after it minus before it, the lot's movements taken in
 * journal order (time, then entry id). Out of a lot, money goes to
 * - recognized: debits (and captures), less their reversals;
 * - breakage: expiries, voids and negative adjustments (credits the workspace paid for and lost);
 * - refunded: refunds;
 * what is still in the lot is deferred. The lot's grant is the sale.
 */

/** One period's figures, in minor units. */
export interface RevenueFigures {
  openingDeferred: bigint;
  sold: bigint;
  recognized: bigint;
  breakage: bigint;
  refunded: bigint;
  closingDeferred: bigint;
}

export interface RevenueRow extends RevenueFigures {
  workspaceId: string;
}

/** The report as the API shows it: decimal strings in the catalog's currency. */
export interface RevenueReport {
  currency: string;
  from: string;
  to: string;
  openingDeferred: string;
  sold: string;
  recognized: string;
  breakage: string;
  refunded: string;
  closingDeferred: string;
  workspaces: (Omit<RevenueReport, 'currency' | 'from' | 'to' | 'workspaces'> & { workspaceId: string })[];
}

export const RECOGNIZED_KINDS = ['debit', 'reverse'] as const;
export const BREAKAGE_KINDS = ['expire', 'void', 'adjust'] as const;
export const REFUNDED_KINDS = ['refund'] as const;

const FIELDS = ['openingDeferred', 'sold', 'recognized', 'breakage', 'refunded', 'closingDeferred'] as const;

/** Per workspace with priced lots in `currency`: [from, to) figures, derived as described above. */
export async function revenueRows(
  sql: Sql,
  q: { from: Date; to: Date; currency: string; workspaceId?: string },
): Promise<RevenueRow[]> {
  const ws = q.workspaceId ?? null;
  const rows = await sql`
    WITH priced AS (
      SELECT l.id, l.workspace_id, l.grant_id, l.price_minor::numeric AS p, l.amount::numeric AS n
        FROM lots l
       WHERE l.price_minor > 0 AND l.currency = ${q.currency} AND (${ws}::text IS NULL OR l.workspace_id = ${ws})),
    moves AS (
      SELECT pr.id AS lot_id, pr.workspace_id, pr.p, pr.n, j.kind, j.created_at,
             (jl.entry_id = pr.grant_id) AS is_sale,
             CASE WHEN jl.entry_id = pr.grant_id THEN 0 ELSE -jl.delta END AS moved,
             sum(CASE WHEN jl.entry_id = pr.grant_id THEN 0 ELSE -jl.delta END)
               OVER (PARTITION BY jl.lot_id ORDER BY j.created_at, jl.entry_id) AS out_after
        FROM priced pr
        JOIN journal_lots jl ON jl.lot_id = pr.id
        JOIN journal j ON j.id = jl.entry_id
       WHERE j.created_at < ${q.to}),
    valued AS (
      SELECT workspace_id, kind, created_at, is_sale, p,
             floor(p * out_after / n) - floor(p * (out_after - moved) / n) AS value
        FROM moves),
    flows AS (
      SELECT workspace_id,
             coalesce(sum(p) FILTER (WHERE is_sale AND created_at >= ${q.from}), 0) AS sold,
             coalesce(sum(value) FILTER (WHERE NOT is_sale AND created_at >= ${q.from}
                                           AND kind IN ('debit', 'reverse')), 0) AS recognized,
             coalesce(sum(value) FILTER (WHERE NOT is_sale AND created_at >= ${q.from}
                                           AND kind IN ('expire', 'void', 'adjust')), 0) AS breakage,
             coalesce(sum(value) FILTER (WHERE NOT is_sale AND created_at >= ${q.from}
                                           AND kind = 'refund'), 0) AS refunded
        FROM valued GROUP BY workspace_id),
    -- Deferred at an instant, from each lot's state then (not from the flows above): the price of
    -- lots sold by then less what the credits out of each by then are worth.
    states AS (
      SELECT pr.workspace_id,
             sum(CASE WHEN s.sold_by_from THEN pr.p ELSE 0 END - floor(pr.p * s.out_by_from / pr.n)) AS opening,
             sum(CASE WHEN s.sold_by_to THEN pr.p ELSE 0 END - floor(pr.p * s.out_by_to / pr.n)) AS closing
        FROM priced pr
        CROSS JOIN LATERAL (
          SELECT bool_or(jl.entry_id = pr.grant_id AND j.created_at < ${q.from}) AS sold_by_from,
                 bool_or(jl.entry_id = pr.grant_id AND j.created_at < ${q.to}) AS sold_by_to,
                 coalesce(sum(-jl.delta) FILTER (WHERE jl.entry_id <> pr.grant_id AND j.created_at < ${q.from}), 0) AS out_by_from,
                 coalesce(sum(-jl.delta) FILTER (WHERE jl.entry_id <> pr.grant_id AND j.created_at < ${q.to}), 0) AS out_by_to
            FROM journal_lots jl JOIN journal j ON j.id = jl.entry_id
           WHERE jl.lot_id = pr.id) s
       GROUP BY pr.workspace_id)
    SELECT st.workspace_id,
           st.opening::text AS opening, st.closing::text AS closing,
           coalesce(f.sold, 0)::text AS sold, coalesce(f.recognized, 0)::text AS recognized,
           coalesce(f.breakage, 0)::text AS breakage, coalesce(f.refunded, 0)::text AS refunded
      FROM states st LEFT JOIN flows f USING (workspace_id)
     ORDER BY st.workspace_id`;
  return rows
    .map((r) => ({
      workspaceId: r.workspace_id as string,
      openingDeferred: BigInt(r.opening as string),
      sold: BigInt(r.sold as string),
      recognized: BigInt(r.recognized as string),
      breakage: BigInt(r.breakage as string),
      refunded: BigInt(r.refunded as string),
      closingDeferred: BigInt(r.closing as string),
    }))
    .filter((r) => FIELDS.some((f) => r[f] !== 0n));
}

/** opening deferred + sold = recognized + breakage + refunded + closing deferred. */
export function tiesOut(f: RevenueFigures): boolean {
  return f.openingDeferred + f.sold === f.recognized + f.breakage + f.refunded + f.closingDeferred;
}

export function totalOf(rows: RevenueFigures[]): RevenueFigures {
  const total: RevenueFigures = {
    openingDeferred: 0n,
    sold: 0n,
    recognized: 0n,
    breakage: 0n,
    refunded: 0n,
    closingDeferred: 0n,
  };
  for (const r of rows) for (const f of FIELDS) total[f] += r[f];
  return total;
}

function asDecimals(f: RevenueFigures) {
  return Object.fromEntries(FIELDS.map((k) => [k, fromMinor(f[k])])) as Record<
    (typeof FIELDS)[number],
    string
  >;
}

/** Parses the report's period: ISO dates or instants, `from` before `to`, naming the bad field. */
export function parsePeriod(from: string | undefined, to: string | undefined): { from: Date; to: Date } {
  const parse = (field: 'from' | 'to', v: string | undefined) => {
    if (!v) throw CreditsError.field(field, 'is required: an ISO date (2026-11-01) or instant');
    const d = new Date(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) {
      throw CreditsError.field(
        field,
        `must be an ISO date (2026-11-01) or instant, not ${JSON.stringify(v)}`,
      );
    }
    return d;
  };
  const period = { from: parse('from', from), to: parse('to', to) };
  if (period.to <= period.from) throw CreditsError.field('to', 'must be later than from');
  return period;
}

/** The revenue report for [from, to), all workspaces or one, in the catalog's currency. */
export async function revenueReport(
  sql: Sql,
  q: { from: Date; to: Date; currency: string; workspaceId?: string },
): Promise<RevenueReport> {
  const rows = await revenueRows(sql, q);
  return {
    currency: q.currency,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    ...asDecimals(totalOf(rows)),
    workspaces: rows.map((r) => ({ workspaceId: r.workspaceId, ...asDecimals(r) })),
  };
}

const CSV_COLUMNS = ['workspaceId', ...FIELDS] as const;

/** The report as CSV: one line per workspace, then a `total` line; the currency and period in every line. */
export function revenueCsv(report: RevenueReport): string {
  const head = ['currency', 'from', 'to', ...CSV_COLUMNS].join(',');
  const line = (r: Record<(typeof CSV_COLUMNS)[number], string>) =>
    [report.currency, report.from, report.to, ...CSV_COLUMNS.map((c) => csvCell(r[c]))].join(',');
  return `${[head, ...report.workspaces.map(line), line({ ...report, workspaceId: 'total' })].join('\r\n')}\r\n`;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || (/^[=+\-@]/.test(v) && !/^-?\d/.test(v)) ? `"${v.replaceAll('"', '""')}"` : v;
}
