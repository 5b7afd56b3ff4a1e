import { describe, expect, inject, it } from 'vitest';
import { connect } from '../../ledger/db.js';

/**
 * patches/postgres+3.4.9.patch (patch-package) fixes postgres.js 3.4.9 so that a connection whose backend dies
 * rejects the next queries with CONNECTION_CLOSED instead of crashing the process from a
 * setImmediate callback (porsager/postgres#1208, deterministic on a reserved connection).
 */
describe('PostgreSQL driver after a killed backend', () => {
  it('rejects queries on the dead connection instead of throwing an uncaught TypeError', async () => {
    const sql = connect(inject('databaseUrl'), { max: 2 });
    const killer = connect(inject('databaseUrl'), { max: 1 });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const reserved = await sql.reserve();
      const [{ pid }] = (await reserved`SELECT pg_backend_pid() AS pid`) as unknown as [{ pid: number }];
      await killer`SELECT pg_terminate_backend(${pid})`;
      await new Promise((r) => setTimeout(r, 100));
      const outcomes = [];
      for (let i = 0; i < 3; i++) {
        outcomes.push(
          await reserved`SELECT 1`.then(
            () => 'ok',
            (e: { code?: string }) => e.code,
          ),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(uncaught).toEqual([]);
      expect(outcomes[0]).toMatch(/CONNECTION_CLOSED|57P01|ECONNRESET/);
      for (const o of outcomes.slice(1)) expect(o === 'ok' || /CONNECTION/.test(String(o))).toBe(true);
      reserved.release();
      // The pool is usable afterwards: at most the first query meets the dead connection and fails cleanly.
      const first = await sql`SELECT 2 AS two`.then(
        (r) => r[0]?.two,
        (e: { code?: string }) => e.code,
      );
      expect([2, 'CONNECTION_CLOSED']).toContain(first);
      expect((await sql`SELECT 2 AS two`)[0]?.two).toBe(2);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await sql.end({ timeout: 1 });
      await killer.end({ timeout: 1 });
    }
  });
});
