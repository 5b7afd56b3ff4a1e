import type { Sql } from './db.js';
import { fromMinor } from './money.js';
import { revenueRows, tiesOut } from './revenue.js';

/** A broken money invariant (the shape of verify.ts's Violation, which it joins). */
interface Violation {
  rule: string;
  workspaceId: string;
  message: string;
}

/** At most this many months are checked, the latest ones (ten years). */
const MAX_MONTHS = 120;

/**
 * The money invariants (docs/revenue.md):
 * - every calendar month (UTC) since the first priced lot ties out per workspace and currency:
 *   opening deferred + sold = recognized + breakage + refunded + closing deferred, where opening
 *   and closing come from the lots' states at those instants and the rest from the movements;
 * - each month opens with what the month before closed with;
 * - each refund row matches its `refund` entry (credits, workspace) and its purchase's status.
 */
export async function verifyRevenue(
  sql: Sql,
  workspaceId: string | null,
  now = new Date(),
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const [first] = await sql`
    SELECT min(l.granted_at) AS first, (SELECT max(created_at) FROM journal) AS last FROM lots l
     WHERE l.price_minor > 0 AND (${workspaceId}::text IS NULL OR l.workspace_id = ${workspaceId})`;
  const currencies = await sql`
    SELECT DISTINCT currency FROM lots
     WHERE price_minor > 0 AND (${workspaceId}::text IS NULL OR workspace_id = ${workspaceId})`;
  if (first?.first) {
    const last = first.last && (first.last as Date) > now ? (first.last as Date) : now;
    const months = monthsBetween(first.first as Date, last).slice(-MAX_MONTHS);
    for (const { currency } of currencies) {
      const closed = new Map<string, bigint>();
      for (const [from, to] of months) {
        const rows = await revenueRows(sql, { from, to, currency, workspaceId: workspaceId ?? undefined });
        for (const r of rows) {
          const month = from.toISOString().slice(0, 7);
          if (!tiesOut(r)) {
            violations.push({
              rule: 'revenue_tie_out',
              workspaceId: r.workspaceId,
              message: `${month} ${currency}: opening ${fromMinor(r.openingDeferred)} + sold ${fromMinor(r.sold)} ≠ recognized ${fromMinor(r.recognized)} + breakage ${fromMinor(r.breakage)} + refunded ${fromMinor(r.refunded)} + closing ${fromMinor(r.closingDeferred)}`,
            });
          }
          const before = closed.get(r.workspaceId) ?? 0n;
          if (before !== r.openingDeferred) {
            violations.push({
              rule: 'revenue_continuity',
              workspaceId: r.workspaceId,
              message: `${month} ${currency}: opens with ${fromMinor(r.openingDeferred)} deferred but the month before closed with ${fromMinor(before)}`,
            });
          }
          closed.set(r.workspaceId, r.closingDeferred);
        }
      }
    }
  }

  const refundRows = await sql`
    SELECT r.purchase_id, r.workspace_id, r.credits, j.kind, j.workspace_id AS entry_ws, -j.delta AS taken, p.status
      FROM refunds r JOIN journal j ON j.id = r.entry_id JOIN purchases p ON p.id = r.purchase_id
     WHERE (${workspaceId}::text IS NULL OR r.workspace_id = ${workspaceId})
       AND (j.kind <> 'refund' OR j.workspace_id <> r.workspace_id OR -j.delta <> r.credits
            OR p.status NOT IN ('refunded', 'partially_refunded'))
    UNION ALL
    SELECT p.id, p.workspace_id, NULL, NULL, NULL, NULL, p.status FROM purchases p
     WHERE p.status IN ('refunded', 'partially_refunded')
       AND (${workspaceId}::text IS NULL OR p.workspace_id = ${workspaceId})
       AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.purchase_id = p.id)`;
  for (const r of refundRows) {
    violations.push({
      rule: 'refund_entry',
      workspaceId: r.workspace_id as string,
      message:
        r.credits == null
          ? `purchase ${r.purchase_id} is ${r.status} but no refund is recorded`
          : `refund of purchase ${r.purchase_id}: ${r.credits} credits recorded, but its entry is a ${r.kind} of ${r.taken} in ${r.entry_ws} and the purchase is ${r.status}`,
    });
  }
  return violations;
}

/** [start, end) of each UTC calendar month from the one holding `first` to the one holding `now`. */
export function monthsBetween(first: Date, now: Date): [Date, Date][] {
  const out: [Date, Date][] = [];
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  while (Date.UTC(y, m, 1) <= now.getTime()) {
    out.push([new Date(Date.UTC(y, m, 1)), new Date(Date.UTC(y, m + 1, 1))]);
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return out;
}
