/**
 * A PostgreSQL instance that the cluster run owns (initdb + pg_ctl from the machine's PostgreSQL
 * binaries, on a free port, data in the run's folder), so that it can be restarted with a fast
 * shutdown in the middle of the work without touching the machine's shared PostgreSQL on 5432.
 * It holds what one PostgreSQL holds in docker-compose.yml: the Credits database and Temporal's
 * `temporal` and `temporal_visibility`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import postgres from 'postgres';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error(`no PostgreSQL server binaries (initdb) under ${root}`);
  return join(root, versions[0], 'bin');
}

/** initdb refuses root: as root, the tools run as the `postgres` OS user (runuser). */
function asOwner(command: string, args: string[]): { cmd: string; args: string[] } {
  return process.getuid?.() === 0
    ? { cmd: 'runuser', args: ['-u', 'postgres', '--', command, ...args] }
    : { cmd: command, args };
}

function mustRun(command: string, args: string[]): string {
  const { cmd, args: full } = asOwner(command, args);
  const r = spawnSync(cmd, full, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error}`);
  return r.stdout;
}

export class OwnPostgres {
  readonly dataDir: string;
  private readonly bin = binDir();

  constructor(
    runDir: string,
    readonly port: number,
  ) {
    this.dataDir = join(runDir, 'pgdata');
  }

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get logFile(): string {
    return join(this.dataDir, 'server.log');
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    mkdirSync(this.dataDir, { mode: 0o700 });
    if (process.getuid?.() === 0) {
      // The run's folder must be reachable by the `postgres` user, and the data folder its own.
      chmodSync(dirname(this.dataDir), 0o755);
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
      chownSync(this.dataDir, id('-u'), id('-g'));
    }
    mustRun(join(this.bin, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8']);
    await this.start();
  }

  async start(): Promise<void> {
    mustRun(join(this.bin, 'pg_ctl'), [
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-o',
      // Room for Temporal's pools (default store 20 and visibility 10 per service) and five Credits
      // processes of 20; sockets in the data folder, TCP on loopback only.
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dataDir} -c max_connections=400 -c fsync=on`,
      'start',
    ]);
  }

  /** `pg_ctl restart -m fast`: every session is cut, in-flight transactions roll back. */
  restartFast(): void {
    // With the log file again: without -l the server would keep pg_ctl's output pipe open.
    mustRun(join(this.bin, 'pg_ctl'), [
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-m',
      'fast',
      '-w',
      'restart',
    ]);
  }

  stop(): void {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    mustRun(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const sql = postgres(this.adminUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`CREATE DATABASE "${name}"`);
    } finally {
      await sql.end();
    }
    return this.url(name);
  }
}
