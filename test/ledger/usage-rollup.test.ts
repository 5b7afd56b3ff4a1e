import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../../ledger/db.js';
import { isCreditsError } from '../../ledger/errors.js';
import { Ledger } from '../../ledger/ledger.js';
import { migrate } from '../../ledger/migrate.js';
import { verifyLedger } from '../../ledger/verify.js';
import { plainCatalog } from '../support/catalog.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const HOUR = 3_600_000;

/** The rollup's rows of these workspaces and the journal's own per-day sums, both as `ws day used`. */
async function rollupAndJournal(db: Sql, workspaces: string[]): Promise<[string[], string[]]> {
  const rollup = await db`
    SELECT workspace_id || ' ' || to_char(day, 'YYYY-MM-DD') || ' ' || used AS r
      FROM usage_daily WHERE workspace_id = ANY(${workspaces}) ORDER BY 1`;
  const journal = await db`
    SELECT workspace_id || ' ' || to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') || ' ' || -sum(delta) AS r
      FROM journal WHERE workspace_id = ANY(${workspaces}) AND kind IN ('debit', 'reverse')
     GROUP BY workspace_id, (created_at AT TIME ZONE 'UTC')::date ORDER BY 1`;
  return [rollup.map((x) => x.r as string), journal.map((x) => x.r as string)];
}

/** What the journal says the window [from, end of now's day] used, summed the slow way. */
async function journalWindowSum(db: Sql, ws: string, from: Date, now: Date): Promise<number> {
  const [row] = await db`
    SELECT coalesce(-sum(delta), 0)::bigint AS used FROM journal
     WHERE workspace_id = ${ws} AND kind IN ('debit', 'reverse')
       AND created_at >= ${from} AND (created_at AT TIME ZONE 'UTC')::date <= (${now}::timestamptz AT TIME ZONE 'UTC')::date`;
  return Number(row!.used);
}

const step = fc.oneof(
  fc.record({ op: fc.constant('grant' as const), ws: fc.nat(1), amount: fc.integer({ min: 1, max: 500 }) }),
  fc.record({
    op: fc.constant('debits' as const),
    ws: fc.nat(1),
    // Several at once: the batcher commits them together, in one statement.
    amounts: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
  }),
  fc.record({
    op: fc.constant('reverse' as const),
    index: fc.nat(20),
    amount: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant('capture' as const),
    ws: fc.nat(1),
    hold: fc.integer({ min: 1, max: 50 }),
    take: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({ op: fc.constant('adjust' as const), ws: fc.nat(1), amount: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 40 * HOUR }) }),
);

describe('the per-day usage rollup', () => {
  it('equals the journal’s per-day debits minus reversals for random mixes across days and workspaces', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 25 }), async (steps) => {
        const t = testLedger(sql, new Date('2026-11-01T20:00:00Z'));
        const wss = [await t.workspace(), await t.workspace()];
        const debits: string[] = [];
        let n = 0;
        const key = () => `k${n++}`;
        // Refusals (not enough credits, nothing left to reverse) are part of the mix; anything else fails.
        const refusedOk = (e: unknown) => {
          if (!isCreditsError(e)) throw e;
        };
        for (const s of steps) {
          if (s.op === 'grant') {
            await t.ledger.grant(wss[s.ws]!, {
              type: 'promotional',
              amount: s.amount,
              reason: 'x',
              idempotencyKey: key(),
            });
          } else if (s.op === 'debits') {
            const results = await Promise.allSettled(
              s.amounts.map((amount) => t.ledger.debit(wss[s.ws]!, { amount, idempotencyKey: key() })),
            );
            for (const r of results) {
              if (r.status === 'fulfilled') debits.push(r.value.transaction.id);
              else refusedOk(r.reason);
            }
          } else if (s.op === 'reverse') {
            const id = debits[s.index % Math.max(1, debits.length)];
            if (id) await t.ledger.reverse(id, { idempotencyKey: key(), amount: s.amount }).catch(refusedOk);
          } else if (s.op === 'capture') {
            const held = await t.ledger
              .placeHold(wss[s.ws]!, { amount: s.hold, idempotencyKey: key() })
              .catch(refusedOk);
            if (held) {
              if (s.take === 0) await t.ledger.release(held.hold.id);
              else
                await t.ledger
                  .capture(held.hold.id, { amount: Math.min(s.take, s.hold), idempotencyKey: key() })
                  .catch(refusedOk);
            }
          } else if (s.op === 'adjust') {
            if (s.amount !== 0)
              await t.ledger
                .adjust(wss[s.ws]!, { amount: s.amount, reason: 'fix', idempotencyKey: key() })
                .catch(refusedOk);
          } else {
            t.advance(s.ms);
          }
        }
        const [rollup, journal] = await rollupAndJournal(sql, wss);
        expect(rollup).toEqual(journal);
        for (const ws of wss) {
          expect(await verifyLedger(sql, ws)).toEqual([]);
          for (const days of [0, 1, 30]) {
            const recent = await t.ledger.recentUsage(ws, t.now(), days);
            expect(recent.used).toBe(await journalWindowSum(sql, ws, recent.from, t.now()));
            expect(recent.perDay.length).toBeLessThanOrEqual(days + 1);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

// Scratch databases of this file: tests here change the schema or corrupt rows on purpose, which
// the run's shared database (verified whole by other files) must never see.
const admin = inject('adminDatabaseUrl');
const adminSql = connect(admin, { max: 1 });
const scratchNames: string[] = [];
afterAll(async () => {
  for (const name of scratchNames) await adminSql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminSql.end();
});

async function scratchDatabase(): Promise<Sql> {
  const name = `credits_rollup_${Date.now()}_${process.pid}_${scratchNames.length}`;
  scratchNames.push(name);
  await adminSql.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return connect(url.toString(), { max: 10 });
}

describe('the rollup in a database of its own: migration 013 over old data, concurrent statements, drift', () => {
  it('backfills the rollup from the journal, then keeps it, and concurrent multi-workspace inserts never deadlock', async () => {
    const db = await scratchDatabase();
    try {
      await migrate(db, { through: '012_cross_workspace_batch' });

      let now = Date.parse('2026-11-01T22:00:00Z');
      const ledger = new Ledger(db, plainCatalog, { clock: () => new Date(now) });
      const wss = ['ws-a', 'ws-b', 'ws-c'];
      for (const ws of wss) {
        await db`INSERT INTO workspaces (id, name, plan, status, billing_anchor)
                 VALUES (${ws}, ${ws}, 'solo', 'active', ${new Date(now)})`;
        await ledger.grant(ws, { type: 'promotional', amount: 10_000, reason: 'x', idempotencyKey: 'g' });
      }
      for (let i = 0; i < 12; i++) {
        const ws = wss[i % 3]!;
        const d = await ledger.debit(ws, { amount: 1 + i, idempotencyKey: `d${i}` });
        if (i % 4 === 0) await ledger.reverse(d.transaction.id, { idempotencyKey: `r${i}`, amount: 1 });
        now += 5 * HOUR;
      }
      const [before] = await db`SELECT to_regclass('usage_daily') AS t`;
      expect(before!.t).toBeNull();

      await migrate(db);
      const [rollup, journal] = await rollupAndJournal(db, wss);
      expect(rollup.length).toBeGreaterThan(3);
      expect(rollup).toEqual(journal);
      expect(await verifyLedger(db)).toEqual([]);

      // After the migration the trigger keeps it.
      await ledger.debit('ws-a', { amount: 50, idempotencyKey: 'after' });
      expect((await ledger.recentUsage('ws-a', new Date(now))).used).toBe(
        await journalWindowSum(db, 'ws-a', new Date('2026-10-01T00:00:00Z'), new Date(now)),
      );
      expect(await verifyLedger(db)).toEqual([]);

      // Statements that each touch a random set of workspaces and days in a random order, at once,
      // without the workspace locks the writers take: the trigger's ordered upsert alone keeps
      // them from waiting for each other in a cycle.
      const many = Array.from({ length: 12 }, (_, i) => `ws-m${String(i).padStart(2, '0')}`);
      await db`INSERT INTO workspaces (id, name, plan, status, billing_anchor)
               SELECT id, id, 'solo', 'active', now() FROM unnest(${many}::text[]) AS id`;
      const rng = fc.sample(fc.array(fc.tuple(fc.nat(11), fc.nat(3)), { minLength: 2, maxLength: 20 }), {
        numRuns: 8 * 15,
        seed: 13,
      });
      const day = new Date(now);
      const writers = Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let round = 0; round < 15; round++) {
            const picks = rng[w * 15 + round]!;
            await db.begin(async (tx) => {
              await tx`
                INSERT INTO journal (workspace_id, kind, delta, balance_after, source, created_at)
                SELECT (${many}::text[])[p.ws + 1], 'debit', -1, 0, 'api', ${day}::timestamptz + (p.d * interval '1 day')
                  FROM unnest(${picks.map((p) => p[0])}::int[], ${picks.map((p) => p[1])}::int[])
                       WITH ORDINALITY AS p(ws, d, pos)
                 ORDER BY pos`;
              await tx`SELECT pg_sleep(0.005)`;
            });
          }
        })(),
      );
      await Promise.all(writers);
      const [rollup2, journal2] = await rollupAndJournal(db, many);
      expect(rollup2.length).toBeGreaterThan(12);
      expect(rollup2).toEqual(journal2);
    } finally {
      await db.end();
    }
  });

  it('lets verify catch a rollup that drifted from the journal', async () => {
    const db = await scratchDatabase();
    try {
      await migrate(db);
      const t = testLedger(db);
      const ws = await t.workspace();
      await t.ledger.grant(ws, { type: 'promotional', amount: 100, reason: 'x', idempotencyKey: 'g' });
      await t.ledger.debit(ws, { amount: 9, idempotencyKey: 'd' });
      expect(await verifyLedger(db, ws)).toEqual([]);
      await db`UPDATE usage_daily SET used = used + 1 WHERE workspace_id = ${ws}`;
      await db`INSERT INTO usage_daily (workspace_id, day, used) VALUES (${ws}, '2026-10-01', 4)`;
      const violations = await verifyLedger(db, ws);
      expect(violations.map((v) => [v.rule, v.expected, v.actual])).toEqual([
        ['usage_daily', 0, 4],
        ['usage_daily', 9, 10],
      ]);
      expect(violations[1]!.message).toContain('2026-11-01');
    } finally {
      await db.end();
    }
  });
});
