import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../ledger/db.js';
import { migrate } from '../ledger/migrate.js';

const run = promisify(execFile);
const name = `credits_cli_${process.pid}_${Date.now()}`;
let url = '';
let admin: Sql;
let sql: Sql;

function credits(...args: string[]) {
  return creditsWith({}, ...args);
}

function creditsWith(env: Record<string, string>, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: url, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

beforeAll(async () => {
  admin = connect(inject('adminDatabaseUrl'), { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(inject('adminDatabaseUrl'));
  u.pathname = `/${name}`;
  url = u.toString();
  sql = connect(url, { max: 2 });
});

afterAll(async () => {
  await sql.end();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe('credits CLI', () => {
  it('migrates twice and from two processes at once without harm', async () => {
    const [a, b] = await Promise.all([credits('migrate'), credits('migrate')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const again = await credits('migrate');
    expect(again.out).toContain('nothing to apply');
    const rows = await sql`SELECT version FROM schema_migrations ORDER BY version`;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);
    await migrate(sql);
  });

  it('creates a workspace, grants, debits, shows balance and history, and verifies', async () => {
    expect((await credits('workspace', 'create', 'acme', '--name', 'Acme', '--plan', 'solo')).code).toBe(0);
    expect(
      (await credits('grant', 'acme', '500', '--reason', 'launch bonus', '--type', 'promotional')).code,
    ).toBe(0);
    const debit = await credits(
      'debit',
      'acme',
      '--operation',
      'image',
      '--param',
      'model=flux-2-pro',
      '--quantity',
      '2',
    );
    expect(debit.code).toBe(0);
    expect(debit.out).toContain('Debited 240 credits');
    const balance = await credits('balance', 'acme', '--json');
    expect(JSON.parse(balance.out)).toMatchObject({ workspaceId: 'acme', total: 260, lifetimeUsed: 240 });
    const history = await credits('history', 'acme');
    expect(history.out).toMatch(/debit\s+−\s+240/);
    const verify = await credits('verify');
    expect(verify).toMatchObject({ code: 0 });
  });

  it('refuses to serve without the configuration it needs, naming the variables', async () => {
    const bots = await credits('serve', 'bots');
    expect(bots.code).toBe(1);
    expect(bots.out).toContain('SLACK_BOT_TOKEN or DISCORD_TOKEN');
    const api = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', 'api'], {
      env: { ...process.env, DATABASE_URL: url, OPERATOR_API_KEY: 'short', PORT: 'eighty' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((api as { code: number }).code).toBe(1);
    expect((api as { stderr: string }).stderr).toMatch(/PORT: .*port number/);
    expect((api as { stderr: string }).stderr).toMatch(/OPERATOR_API_KEY: .*16 characters/);
  });

  it('refuses an invalid catalog at start-up, naming the file, the path and the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      'name: Broken\ncurrency: USD\nplans: []\noperations:\n  - { key: x, name: X, family: tool, rule: { type: fixed, cost: -5 } }\n',
    );
    const r = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'balance', 'acme'], {
      env: { ...process.env, DATABASE_URL: url, CATALOG_FILE: file },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    const err = (r as { stderr: string }).stderr;
    expect(err).toContain(`Invalid catalog ${file}`);
    expect(err).toMatch(/plans \(line 3\): must list at least one plan/);
    expect(err).toMatch(/operations\[0\]\.rule\.cost .*negative/);
    await rm(dir, { recursive: true, force: true });
  });

  it('names the bad argument instead of failing obscurely', async () => {
    const bad = await credits('grant', 'acme', 'ten', '--reason', 'x');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('amount');
    const unknown = await credits('debit', 'acme', '--operation', 'telepathy');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('operation');
  });

  it('verify exits 1 and lists the offending lot when a lot no longer matches its journal', async () => {
    const [lot] = await sql`SELECT id FROM lots WHERE workspace_id = 'acme' ORDER BY id LIMIT 1`;
    await sql`UPDATE lots SET remaining = remaining - 7 WHERE id = ${lot!.id}`;
    const verify = await credits('verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain(`lot ${lot!.id}`);
    expect(verify.out).toContain('lot_remaining');
    await sql`UPDATE lots SET remaining = remaining + 7 WHERE id = ${lot!.id}`;
    expect((await credits('verify')).code).toBe(0);
  });

  it('balance computes the renewal with the settings every role uses (SUBSCRIPTION_PERIOD_SECONDS)', async () => {
    // Anchored 90 s ago on a one-hour period, the next renewal is 59.5 minutes away; on calendar
    // months (what a context built without the settings assumes) it would be a month away.
    const anchor = new Date(Date.now() - 90_000);
    const created = await credits(
      'workspace',
      'create',
      'hourly',
      '--name',
      'Hourly',
      '--plan',
      'solo',
      '--anchor',
      anchor.toISOString(),
    );
    expect(created.code).toBe(0);
    const shown = await creditsWith({ SUBSCRIPTION_PERIOD_SECONDS: '3600' }, 'balance', 'hourly', '--json');
    expect(shown.code).toBe(0);
    const renewal = JSON.parse(shown.out).renewal as { amount: number; at: string };
    expect(renewal.amount).toBeGreaterThan(0);
    expect(Date.parse(renewal.at)).toBe(anchor.getTime() + 3_600_000);
    const monthly = JSON.parse((await credits('balance', 'hourly', '--json')).out).renewal as { at: string };
    expect(Date.parse(monthly.at) - anchor.getTime()).toBeGreaterThan(27 * 86_400_000);
  });
});
