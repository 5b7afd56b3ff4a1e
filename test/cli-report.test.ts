import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../ledger/migrate.js';
import { ownDatabase } from './support/db.js';
import { testLedger } from './support/ledger.js';
import { paidPurchase } from './support/paid-purchase.js';

const run = promisify(execFile);
let db: Awaited<ReturnType<typeof ownDatabase>>;
let url = '';

function credits(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: url },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

beforeAll(async () => {
  db = await ownDatabase('cli_report');
  await migrate(db.sql);
  const u = new URL(inject('adminDatabaseUrl'));
  u.pathname = `/${(await db.sql`SELECT current_database() AS d`)[0]!.d}`;
  url = u.toString();
});
afterAll(() => db?.drop());

describe('credits report revenue', () => {
  it('prints the worked example as a table, JSON or CSV, and names a bad period', async () => {
    const t = testLedger(db.sql, new Date('2026-11-10T12:00:00Z'));
    const ws = await t.workspace();
    const p = await paidPurchase(db.sql, t.ledger, ws);
    await t.ledger.debit(ws, { amount: 300, idempotencyKey: 'use' });
    await t.ledger.refundPurchase(p.id, { idempotencyKey: 'r' });
    const period = ['--from', '2026-11-01', '--to', '2026-12-01'];

    const table = await credits('report', 'revenue', ...period);
    expect(table.code).toBe(0);
    expect(table.out).toContain('Revenue in USD, 2026-11-01T00:00:00.000Z to 2026-12-01T00:00:00.000Z');
    expect(table.out).toMatch(
      new RegExp(`${ws}\\s+0\\.00\\s+50\\.00\\s+15\\.00\\s+0\\.00\\s+35\\.00\\s+0\\.00`),
    );
    const json = JSON.parse((await credits('report', 'revenue', ...period, '--json')).out);
    expect(json).toMatchObject({
      sold: '50.00',
      recognized: '15.00',
      refunded: '35.00',
      closingDeferred: '0.00',
    });
    const csv = await credits('report', 'revenue', ...period, '--workspace', ws, '--csv');
    expect(csv.out.split('\r\n')[1]).toBe(
      `USD,2026-11-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,${ws},0.00,50.00,15.00,0.00,35.00,0.00`,
    );
    const bad = await credits('report', 'revenue', '--from', '2026-11-01');
    expect(bad.code).not.toBe(0);
    expect(bad.err + bad.out).toContain('to: is required');
    expect((await credits('verify')).code).toBe(0);
  });
});
