import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../ledger/db.js';
import { migrate } from '../../ledger/migrate.js';
import { type FunctionFile, loadFunctionFiles } from '../../ledger/sql/function-files.js';
import { verifyLedger } from '../../ledger/verify.js';
import { ownDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const MIGRATIONS = readdirSync(new URL('../../ledger/migrations/', import.meta.url))
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.replace(/\.sql$/, ''))
  .sort();

/** Every credits_* function of the schema, by signature, as PostgreSQL prints its definition back. */
async function definitions(sql: Sql): Promise<Record<string, string>> {
  const rows = await sql`
    SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p
     WHERE p.pronamespace = to_regnamespace(current_schema()) AND p.proname LIKE 'credits\\_%'
     ORDER BY 1`;
  return Object.fromEntries(rows.map((r) => [r.signature as string, r.definition as string]));
}

class Rollback {
  constructor(readonly value: unknown) {}
}

/** What `work` reads inside a transaction that is then rolled back. */
async function andRollBack<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    await sql.begin(async (tx) => {
      throw new Rollback(await work(tx as unknown as Sql));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
  throw new Error('unreachable');
}

describe('the SQL functions as current files (ledger/sql/functions)', () => {
  let files: FunctionFile[];
  let fresh: Awaited<ReturnType<typeof ownDatabase>>;
  let at017: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    files = await loadFunctionFiles();
    [fresh, at017] = await Promise.all([ownDatabase('fresh'), ownDatabase('at017')]);
    await migrate(fresh.sql);
    await migrate(at017.sql, { through: '017_balance_parts' });
  });
  afterAll(async () => {
    await Promise.all([fresh?.drop(), at017?.drop()]);
  });

  it('leaves a fresh database with exactly the functions of the files, one each, as the files define them', async () => {
    const defs = await definitions(fresh.sql);
    expect(Object.keys(defs).map((s) => s.replace(/\(.*$/, ''))).toEqual(files.map((f) => f.name).sort());
    // Running the files again changes nothing: what the database holds is what they say.
    const again = await andRollBack(fresh.sql, async (tx) => {
      for (const f of files) await tx.unsafe(f.text);
      return definitions(tx);
    });
    expect(again).toEqual(defs);
    const recorded = await fresh.sql`SELECT name, checksum FROM schema_functions ORDER BY name`;
    expect(recorded.map((r) => [r.name, r.checksum])).toEqual(
      [...files].sort((a, b) => a.name.localeCompare(b.name)).map((f) => [f.name, f.checksum]),
    );
  });

  it('brings a database left at migration 017, with its data, to the same definitions', async () => {
    const t = testLedger(at017.sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'before', idempotencyKey: 'g' });
    await t.ledger.debit(ws, { amount: 30, idempotencyKey: 'd' });
    const result = await migrate(at017.sql);
    expect(result.applied).toEqual([...MIGRATIONS.filter((m) => m >= '018'), ...files.map((f) => f.path)]);
    expect(await definitions(at017.sql)).toEqual(await definitions(fresh.sql));
    // The upgraded functions run on the old rows: a replay, a new debit, a hold.
    expect((await t.ledger.debit(ws, { amount: 30, idempotencyKey: 'd' })).replayed).toBe(true);
    expect((await t.ledger.debit(ws, { amount: 20, idempotencyKey: 'd2' })).balance.total).toBe(50);
    expect((await t.ledger.placeHold(ws, { amount: 50, idempotencyKey: 'h' })).balance.held).toBe(50);
    expect(await verifyLedger(at017.sql, ws)).toEqual([]);
  });

  it('applies a file again only when its checksum changed or its function is gone', async () => {
    const second = await migrate(fresh.sql);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual([...MIGRATIONS, ...files.map((f) => f.path)]);
    await fresh.sql`UPDATE schema_functions SET checksum = 'an older file' WHERE name = 'credits_debit_multi'`;
    await fresh.sql`DROP FUNCTION credits_spendable(text, timestamptz)`;
    const third = await migrate(fresh.sql);
    expect([...third.applied].sort()).toEqual([
      'functions/credits_debit_multi.sql',
      'functions/credits_spendable.sql',
    ]);
    const [row] = await fresh.sql`SELECT checksum FROM schema_functions WHERE name = 'credits_debit_multi'`;
    expect(row!.checksum).toBe(files.find((f) => f.name === 'credits_debit_multi')!.checksum);
    expect(Object.keys(await definitions(fresh.sql))).toContain(
      'credits_spendable(text,timestamp with time zone)',
    );
  });

  it('lets two processes migrate one new database at once: everything applied once, by one of them', async () => {
    const db = await ownDatabase('race');
    try {
      const [a, b] = await Promise.all([migrate(db.sql), migrate(db.sql)]);
      const everything = [...MIGRATIONS, ...files.map((f) => f.path)];
      expect([a.applied, b.applied].sort((x, y) => x.length - y.length)).toEqual([[], everything]);
    } finally {
      await db.drop();
    }
  });

  it('creates each function after the functions it calls', () => {
    const at = new Map(files.map((f, i) => [f.name, i]));
    for (const f of files) for (const callee of f.calls) expect(at.get(callee)).toBeLessThan(at.get(f.name)!);
    expect(files.find((f) => f.name === 'credits_hold_multi')!.calls).toEqual([
      'credits_alerts_after',
      'credits_balance_json',
      'credits_budget_check',
      'credits_budget_count',
      'credits_expire_held',
      'credits_hold_json',
      'credits_iso',
      'credits_spendable',
      'credits_unhold',
    ]);
    expect(files.find((f) => f.name === 'credits_iso')!.calls).toEqual([]);
  });
});
