import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../ledger/db.js';
import { migrate } from '../../ledger/migrate.js';
import { APP_ROLE, type EmbeddedDatabase, startEmbeddedPostgres } from '../../runtime/embedded-postgres.js';
import { freePort, startDevServer } from '../../runtime/temporal.js';
import { projectRoot } from '../start/support.js';

const mode = (path: string) => statSync(path).mode & 0o777;

/**
 * What another local user reaches of `npm start`'s data (issue 24, High 3). The tests run as root,
 * so the other user is `nobody`, running node with the project's PostgreSQL client.
 */
/**
 * A Node.js that `nobody` may run: this one, or else the system's (CI's Node 24 lives under
 * /root/.cache, which no other user can enter).
 */
const nobodysNode = (() => {
  for (const candidate of [process.execPath, 'node']) {
    const probe = spawnSync('runuser', ['-u', 'nobody', '--', candidate, '--version'], {
      cwd: '/',
      timeout: 20_000,
    });
    if (probe.status === 0) return candidate;
  }
  throw new Error('no Node.js that the user nobody may run (neither this one nor one on PATH)');
})();

function asNobody(script: string): string {
  const run = spawnSync('runuser', ['-u', 'nobody', '--', nobodysNode, '--input-type=module', '-e', script], {
    cwd: '/',
    encoding: 'utf8',
    timeout: 20_000,
  });
  return `${run.stdout}${run.stderr}`;
}
const postgresClient = join(projectRoot, 'node_modules/postgres/src/index.js');
/** Connects as `user:password`, prints `connected` or the error code, and tries to run a program. */
const tryConnect = (port: number, user: string, password: string) => `
  import postgres from ${JSON.stringify(postgresClient)};
  const sql = postgres({ host: '127.0.0.1', port: ${port}, user: ${JSON.stringify(user)}, password: ${JSON.stringify(password)}, database: 'credits', max: 1, connect_timeout: 5, onnotice: () => {} });
  try { await sql\`SELECT 1\`; console.log('connected'); } catch (e) { console.log('refused', e.code); }
  await sql.end({ timeout: 1 });`;
const tryRead = (file: string) => `
  import { readFileSync } from 'node:fs';
  try { readFileSync(${JSON.stringify(file)}); console.log('read it'); } catch (e) { console.log('refused', e.code); }`;

describe('the embedded PostgreSQL of npm start', () => {
  const root = mkdtempSync(join(tmpdir(), 'credits-secrets-'));
  chmodSync(root, 0o711); // as the user npm start runs as would have it: PostgreSQL's user passes through
  const dataDir = join(root, 'data');
  let db: EmbeddedDatabase | null = null;
  afterAll(async () => {
    await db?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('has a random superuser password kept 0600; the application connects as a role that is no superuser', async () => {
    const port = await freePort();
    db = await startEmbeddedPostgres({ dataDir, port });
    for (const file of ['postgres-password', 'postgres-app-password'])
      expect(mode(join(dataDir, file))).toBe(0o600);
    expect(new URL(db.url).username).toBe(APP_ROLE);
    const sql = connect(db.url, { max: 1 });
    try {
      // The whole schema is made by the application's role.
      await migrate(sql);
      const [me] =
        await sql`SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`;
      expect(me).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
      await expect(sql`COPY (SELECT 1) TO PROGRAM 'true'`).rejects.toMatchObject({ code: '42501' });
      const [owner] = await sql`SELECT tableowner FROM pg_tables WHERE tablename = 'journal'`;
      expect(owner?.tableowner).toBe(APP_ROLE);
    } finally {
      await sql.end();
    }
    // Another local user: the old fixed password no longer opens it, and the key files are not theirs to read.
    expect(asNobody(tryConnect(port, 'postgres', 'credits-local'))).toContain('refused 28P01');
    expect(asNobody(tryRead(join(dataDir, 'postgres-password')))).toContain('refused EACCES');
    expect(asNobody(tryRead(join(dataDir, 'postgres-app-password')))).toContain('refused EACCES');
  }, 120_000);

  it('upgrades a data folder made with the old fixed password, and hands its tables to the application', async () => {
    const port = await freePort();
    // As an older version left it: the fixed password, no password file, tables owned by the superuser.
    const admin = connect(db!.superuserUrl, { max: 1 });
    await admin`CREATE TABLE made_by_superuser (x int)`;
    await admin`ALTER ROLE postgres PASSWORD 'credits-local'`;
    await admin.end();
    await db!.stop();
    db = null;
    unlinkSync(join(dataDir, 'postgres-password'));
    expect(asNobody(tryConnect(port, 'postgres', 'credits-local'))).toContain('refused');

    db = await startEmbeddedPostgres({ dataDir, port });
    expect(existsSync(join(dataDir, 'postgres-password'))).toBe(true);
    expect(mode(join(dataDir, 'postgres-password'))).toBe(0o600);
    expect(asNobody(tryConnect(port, 'postgres', 'credits-local'))).toContain('refused 28P01');
    const sql = connect(db.url, { max: 1 });
    try {
      await sql`INSERT INTO made_by_superuser VALUES (1)`;
      const [owner] = await sql`SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_superuser'`;
      expect(owner?.tableowner).toBe(APP_ROLE);
    } finally {
      await sql.end();
    }
  }, 120_000);
});

describe('the Temporal dev server of npm start', () => {
  it('keeps its data 0600 in a 0700 folder and listens on 127.0.0.1 only (the Web UI too)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'credits-temporal-'));
    const dataDir = join(root, 'temporal');
    const server = await startDevServer({ executable: inject('temporalCli'), dataDir, log: () => {} });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'temporal.db'))).toBe(0o600);
      expect(asNobody(tryRead(join(dataDir, 'temporal.db')))).toContain('refused EACCES');
      const listening = spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter((line) => line.includes(`pid=${server.process.pid},`));
      expect(listening.length).toBeGreaterThanOrEqual(2); // the frontend and the Web UI at least
      for (const line of listening) expect(line.split(/\s+/)[3], line).toMatch(/^127\.0\.0\.1:\d+$/);
    } finally {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
