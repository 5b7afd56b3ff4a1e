import { describe, expect, inject, it } from 'vitest';
import { connect } from '../../ledger/db.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const t = testLedger(sql);

const batch = (ws: string, key: string) => [
  {
    ws,
    items: [
      {
        key,
        hash: 'h',
        amount: 1,
        operation: null,
        quantity: null,
        actor: null,
        source: 'api',
        metadata: {},
      },
    ],
  },
];

describe('credits_debit_multi plans (SET enable_seqscan = off)', () => {
  it('looks idempotency keys up by index even when a new connection first sees the table empty', async () => {
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'promotional', amount: 50, reason: 'seed', idempotencyKey: 'seed' });
    // A fresh backend: no plan of the function is cached yet.
    const one = connect(inject('databaseUrl'), { max: 1 });
    try {
      await one
        .begin(async (tx) => {
          // As on a new database: the table physically empty and analysed so, when the generic
          // plans are made. TRUNCATE is transactional: the rollback below brings every row back.
          await tx`TRUNCATE idempotency_keys`;
          await tx`ANALYZE idempotency_keys`;
          const scans = async () => {
            const [row] = await tx`
            SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'idempotency_keys'`;
            return { seq: Number(row!.seq_scan), idx: Number(row!.idx_scan) };
          };
          // ANALYZE's own pass counts as one.
          const before = await scans();
          for (const key of ['a', 'b', 'a']) {
            await tx`SELECT credits_debit_multi(now(), ${tx.json(batch(ws, key))}, ${tx.json({ low: 1, critical: 0 })})`;
          }
          const after = await scans();
          expect(after.seq - before.seq).toBe(0);
          expect(after.idx - before.idx).toBe(3);
          const [replay] = await tx`
          SELECT credits_debit_multi(now(), ${tx.json(batch(ws, 'b'))}, ${tx.json({ low: 1, critical: 0 })}) AS r`;
          expect((replay!.r as { items: { s: string }[] }[])[0]!.items[0]!.s).toBe('replay');
          throw new Error('rollback');
        })
        .catch((err) => {
          if ((err as Error).message !== 'rollback') throw err;
        });
    } finally {
      await one.end();
    }
  });
});
