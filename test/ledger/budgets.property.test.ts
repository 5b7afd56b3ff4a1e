import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Spender } from '../../ledger/commands/types.js';
import { isCreditsError } from '../../ledger/errors.js';
import { BudgetStore, type BudgetSubjectKind } from '../../ledger/stores/budgets.js';
import type { BudgetPeriod } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

/**
 * Random concurrent debits, holds, captures, releases and reversals over members, keys, actors and
 * operations with overlapping budgets (and approved raises, and days that roll over): no budget
 * period ever holds more than its limit plus its raises, every accepted debit or hold counts toward
 * exactly the budgets it matches, every budget refusal was due, the balance invariants hold and
 * `verify` is clean.
 */

const sql = useTestDatabase();
const store = new BudgetStore(sql);
const by = { actor: 'operator', channel: 'api' };

const WHO: { actor: string; spender: Spender }[] = [
  { actor: 'member:sam', spender: {} },
  { actor: 'member:ada', spender: {} },
  { actor: 'agent:x', spender: { apiKeyId: 'key_a' } },
  { actor: 'automation:y', spender: { apiKeyId: 'key_b', memberId: 'sam' } },
  { actor: 'agent:x', spender: {} },
];

const BUDGETS: { kind: BudgetSubjectKind; subject: string; period: BudgetPeriod }[] = [
  { kind: 'member', subject: 'sam', period: 'month' },
  { kind: 'member', subject: 'ada', period: 'cycle' },
  { kind: 'api_key', subject: 'key_a', period: 'day' },
  { kind: 'actor', subject: 'agent:x', period: 'week' },
  { kind: 'operation', subject: 'unit', period: 'day' },
];

function matches(b: (typeof BUDGETS)[number], who: (typeof WHO)[number], operation: string | null): boolean {
  switch (b.kind) {
    case 'member':
      return who.spender.memberId === b.subject || who.actor === `member:${b.subject}`;
    case 'api_key':
      return who.spender.apiKeyId === b.subject;
    case 'actor':
      return who.actor === b.subject;
    default:
      return operation === b.subject;
  }
}

type Op =
  | { k: 'debit'; who: number; amount: number; unit: boolean }
  | { k: 'hold'; who: number; amount: number }
  | { k: 'capture'; hold: number; part: number }
  | { k: 'release'; hold: number }
  | { k: 'reverse'; debit: number; part: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('debit' as const),
      who: fc.nat(WHO.length - 1),
      amount: fc.integer({ min: 1, max: 25 }),
      unit: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('hold' as const),
      who: fc.nat(WHO.length - 1),
      amount: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('capture' as const),
      hold: fc.nat(20),
      part: fc.integer({ min: 1, max: 100 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('release' as const), hold: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('reverse' as const),
      debit: fc.nat(40),
      part: fc.integer({ min: 1, max: 100 }),
    }),
  },
);

const scenario = fc.record({
  limits: fc.array(fc.integer({ min: 20, max: 120 }), {
    minLength: BUDGETS.length,
    maxLength: BUDGETS.length,
  }),
  caps: fc.array(fc.option(fc.integer({ min: 5, max: 30 }), { nil: null }), {
    minLength: BUDGETS.length,
    maxLength: BUDGETS.length,
  }),
  rounds: fc.array(
    fc.record({
      ops: fc.array(op, { minLength: 1, maxLength: 12 }),
      raise: fc.option(
        fc.record({ budget: fc.nat(BUDGETS.length - 1), amount: fc.integer({ min: 1, max: 40 }) }),
        { nil: null },
      ),
      nextDay: fc.boolean(),
    }),
    { minLength: 1, maxLength: 5 },
  ),
});

describe('budgets under random concurrent traffic', () => {
  it('never let a period hold more than its limit plus raises; verify stays clean', async () => {
    const seen = { refused: 0, counted: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const t = testLedger(sql, new Date('2026-11-27T20:00:00Z'));
        const ws = await t.workspace();
        await t.ledger.grant(ws, { type: 'purchased', amount: 2000, reason: 'x', idempotencyKey: 'g' });
        const ids: string[] = [];
        for (const [i, b] of BUDGETS.entries()) {
          const made = await store.create(
            ws,
            {
              subjectKind: b.kind,
              subject: b.subject,
              period: b.period,
              limit: s.limits[i]!,
              perDebitMax: s.caps[i]!,
            },
            by,
          );
          ids.push(made.id);
        }
        const holds: { id: string; amount: number }[] = [];
        const debits: string[] = [];
        let n = 0;
        for (const round of s.rounds) {
          if (round.raise) {
            const { start, end } = await periodOf(ws, ids[round.raise.budget]!, t.now());
            await sql`INSERT INTO budget_raises (id, workspace_id, budget_id, amount, status, requested_by, period_start, period_end)
                      VALUES (${`raise_${(n++).toString(16).padStart(8, '0')}${Math.random().toString(16).slice(2, 10)}`}, ${ws},
                              ${ids[round.raise.budget]!}, ${round.raise.amount}, 'approved', 'member:sam', ${start}, ${end})`;
          }
          const results = await Promise.allSettled(
            round.ops.map(async (o) => {
              const key = `k${n++}`;
              switch (o.k) {
                case 'debit': {
                  const who = WHO[o.who]!;
                  const input = o.unit
                    ? { operation: 'unit', quantity: Math.ceil(o.amount / 3) }
                    : { amount: o.amount };
                  const r = await t.ledger.debit(ws, { ...input, ...who, idempotencyKey: key });
                  debits.push(r.transaction.id);
                  return { o, who, operation: o.unit ? 'unit' : null, entry: r.transaction.id };
                }
                case 'hold': {
                  const who = WHO[o.who]!;
                  const r = await t.ledger.placeHold(ws, { amount: o.amount, ...who, idempotencyKey: key });
                  holds.push({ id: r.hold.id, amount: o.amount });
                  return { o, who, operation: null, hold: r.hold.id };
                }
                case 'capture': {
                  const h = holds[o.hold % Math.max(1, holds.length)];
                  if (!h) return null;
                  const amount = Math.max(1, Math.floor((h.amount * o.part) / 100));
                  await t.ledger.capture(h.id, { amount, idempotencyKey: key });
                  return null;
                }
                case 'release': {
                  const h = holds[o.hold % Math.max(1, holds.length)];
                  if (h) await t.ledger.release(h.id);
                  return null;
                }
                default: {
                  const d = debits[o.debit % Math.max(1, debits.length)];
                  if (!d) return null;
                  await t.ledger.reverse(d, { idempotencyKey: key, amount: 1 + (o.part % 3) });
                  return null;
                }
              }
            }),
          );
          for (const r of results) {
            if (r.status === 'rejected') {
              const e = r.reason;
              if (!isCreditsError(e)) throw e;
              if (e.code === 'budget_exceeded') {
                seen.refused++;
                const d = e.details as {
                  used: number;
                  limit: number;
                  requested: number;
                  perDebitMax?: number;
                };
                expect(d.used + d.requested > d.limit || d.requested > (d.perDebitMax ?? Infinity)).toBe(
                  true,
                );
              } else {
                expect(['insufficient_credits', 'hold_not_active', 'conflict', 'invalid_request']).toContain(
                  e.code,
                );
              }
              continue;
            }
            const ok = r.value;
            if (!ok) continue;
            // Counted toward exactly the budgets it matches.
            const expected = BUDGETS.flatMap((b, i) =>
              matches(b, ok.who, ok.operation) ? [ids[i]] : [],
            ).sort();
            const [row] = ok.entry
              ? await sql`SELECT budgets FROM journal WHERE id = ${ok.entry}`
              : await sql`SELECT budgets FROM holds WHERE id = ${ok.hold!}`;
            const tagged = ((row!.budgets ?? []) as { b: string }[]).map((x) => x.b).sort();
            expect(tagged).toEqual(expected);
            if (tagged.length > 0) seen.counted++;
          }
          await assertWithinLimits(ws, t.now());
          if (round.nextDay) t.advance(24 * 3600 * 1000);
        }
        expect(await verifyLedger(sql, ws)).toEqual([]);
      }),
      { numRuns: Number(process.env.BUDGET_PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
    // The runs did meet budgets both ways.
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.counted).toBeGreaterThan(0);
  }, 600_000);
});

async function periodOf(ws: string, budgetId: string, now: Date) {
  const u = (await store.usage(ws, now)).get(budgetId)!;
  return { start: u.periodStart, end: u.resetsAt };
}

/** From the journal and the holds, not the counters: each budget period's use against its limit and raises. */
async function assertWithinLimits(ws: string, now: Date) {
  const rows = await sql`
    WITH counted AS (
      SELECT t->>'b' AS budget_id, (t->>'p')::timestamptz AS period_start,
             -j.delta - coalesce((SELECT sum(r.delta) FROM journal r WHERE r.reverses_id = j.id), 0) AS used
        FROM journal j CROSS JOIN LATERAL jsonb_array_elements(j.budgets) t
       WHERE j.workspace_id = ${ws} AND j.kind = 'debit' AND j.budgets IS NOT NULL
      UNION ALL
      SELECT t->>'b', (t->>'p')::timestamptz, h.amount
        FROM holds h CROSS JOIN LATERAL jsonb_array_elements(h.budgets) t
       WHERE h.workspace_id = ${ws} AND h.status = 'active' AND h.expires_at > ${now} AND h.budgets IS NOT NULL)
    SELECT c.budget_id, c.period_start, sum(c.used)::bigint AS used,
           (b.limit_credits + coalesce((SELECT sum(r.amount) FROM budget_raises r WHERE r.budget_id = c.budget_id
                                         AND r.status = 'approved' AND r.period_start = c.period_start), 0))::bigint AS lim
      FROM counted c JOIN budgets b ON b.id = c.budget_id
     GROUP BY c.budget_id, c.period_start, b.limit_credits`;
  for (const r of rows)
    expect(Number(r.used), `${r.budget_id} from ${r.period_start}`).toBeLessThanOrEqual(Number(r.lim));
}
