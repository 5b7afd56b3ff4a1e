import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../ledger/db.js';
import { isCreditsError } from '../../ledger/errors.js';
import { dailyUsage, USAGE_GROUPS, type UsageGroupBy, usage } from '../../ledger/reports.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const HOUR = 3_600_000;
const START = Date.parse('2026-11-01T20:00:00Z');

/** The usage report as it was before the rollup: every debit and reversal of the window, from the journal. */
async function journalUsage(db: Sql, ws: string, groupBy: UsageGroupBy, from: Date | null, to: Date | null) {
  const key =
    groupBy === 'operation'
      ? db`CASE WHEN j.kind = 'reverse' THEN coalesce(o.operation, j.operation) ELSE j.operation END`
      : groupBy === 'actor'
        ? db`CASE WHEN j.kind = 'reverse' THEN o.actor ELSE j.actor END`
        : db`to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  const rows = await db`
    SELECT ${key} AS key, (-sum(j.delta))::bigint AS used, count(*) FILTER (WHERE j.kind = 'debit')::bigint AS count
      FROM journal j LEFT JOIN journal o ON o.id = j.reverses_id
     WHERE j.workspace_id = ${ws} AND j.kind IN ('debit', 'reverse')
       ${from ? db`AND j.created_at >= ${from}` : db``} ${to ? db`AND j.created_at < ${to}` : db``}
     GROUP BY 1 ORDER BY 1 NULLS LAST`;
  return rows.map((r) => ({
    key: (r.key as string | null) ?? null,
    used: Number(r.used),
    count: Number(r.count),
  }));
}

const byKey = (a: { key: string | null }, b: { key: string | null }) =>
  a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1;

const step = fc.oneof(
  fc.record({
    op: fc.constant('debits' as const),
    // Several at once: the batcher commits them together, in one statement.
    items: fc.array(
      fc.record({
        amount: fc.integer({ min: 1, max: 40 }),
        unit: fc.boolean(),
        actor: fc.constantFrom('member:ann', 'member:bob', null),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  fc.record({
    op: fc.constant('reverse' as const),
    index: fc.nat(20),
    amount: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 30 * HOUR }) }),
);
// A bound: none, a UTC midnight, or any instant, within the days the steps span.
const bound = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -1, max: 12 }).map((d) => new Date(Date.parse('2026-11-01T00:00:00Z') + d * 24 * HOUR)),
  fc.integer({ min: -HOUR, max: 12 * 24 * HOUR }).map((ms) => new Date(START + ms)),
);

describe('usage reports over the rollup', () => {
  it('equal the journal summed entry by entry, for any window, whole days or not, and verify agrees', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 3, maxLength: 20 }),
        fc.array(fc.tuple(bound, bound), { minLength: 3, maxLength: 6 }),
        async (steps, windows) => {
          const t = testLedger(sql, new Date(START));
          const ws = await t.workspace();
          await t.ledger.grant(ws, {
            type: 'promotional',
            amount: 100_000,
            reason: 'x',
            idempotencyKey: 'g',
          });
          const debits: string[] = [];
          let n = 0;
          for (const s of steps) {
            if (s.op === 'debits') {
              const done = await Promise.all(
                s.items.map((i) =>
                  t.ledger.debit(ws, {
                    ...(i.unit ? { operation: 'unit', quantity: i.amount } : { amount: i.amount }),
                    actor: i.actor,
                    idempotencyKey: `d${n++}`,
                  }),
                ),
              );
              debits.push(...done.map((d) => d.transaction.id));
            } else if (s.op === 'reverse') {
              const id = debits[s.index % Math.max(1, debits.length)];
              if (id)
                await t.ledger.reverse(id, { idempotencyKey: `r${n++}`, amount: s.amount }).catch((e) => {
                  if (!isCreditsError(e)) throw e;
                });
            } else {
              t.advance(s.ms);
            }
          }
          expect(await verifyLedger(sql, ws)).toEqual([]);
          for (const [a, b] of windows) {
            const [from, to] = a && b && a.getTime() > b.getTime() ? [b, a] : [a, b];
            if (from && to && from.getTime() === to.getTime()) continue;
            for (const groupBy of USAGE_GROUPS) {
              const got = await usage(sql, ws, { groupBy, from: from ?? undefined, to: to ?? undefined });
              const want = await journalUsage(sql, ws, groupBy, from, to);
              expect([...got.groups].sort(byKey)).toEqual(want);
              expect(got.total).toBe(want.reduce((s, g) => s + g.used, 0));
            }
            if (from && to) {
              for (const by of ['operation', 'actor'] as const) {
                const rows = await dailyUsage(sql, ws, { by, from, to });
                const perDay = await journalUsage(sql, ws, 'day', from, to);
                for (const d of perDay) {
                  const sum = rows.filter((r) => r.day === d.key).reduce((s, r) => s + r.used, 0);
                  expect(sum).toBe(d.used);
                }
                expect(rows.every((r) => perDay.some((d) => d.key === r.day))).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
