import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { TemporalTarget } from '../workflows/connection.js';
import { provisionTemporalCli, requireTemporalCli } from './temporal-provision.js';

export type { TemporalTarget } from '../workflows/connection.js';
export {
  findTemporalCli,
  provisionTemporalCli,
  requireTemporalCli,
  TEMPORAL_CLI_VERSION,
} from './temporal-provision.js';

async function frontendAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2000 });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => {});
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      ok(open);
    };
    socket.setTimeout(500);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/**
 * What the dev server the project starts (`npm start`, bench:lifecycle) changes from the CLI's
 * defaults, so that thousands of timers due at one instant (every subscription whose cycle ends
 * together) do not stall it. The CLI's server keeps everything in one SQLite connection, and its
 * timer and transfer queues each run 512 tasks at a time: when 10,000 timers fire, those 512
 * take nearly every turn on the connection, so the workflow tasks they schedule are not handed to
 * the worker (RecordWorkflowTaskStarted waits for the same connection) until almost every timer
 * has fired. Tasks sat on the sticky queue past its timeout, and the timeouts were a second burst
 * that re-sent each task with its full history to the normal queue (bench:lifecycle at 5,000:
 * 5,000 timers fired in the first 16 s while 326 tasks started; 2,763 sticky timeouts at 60-80 s).
 * With 16 of each, timers fire at about the pace the worker completes their tasks, every task
 * stays sticky and the first seconds run at the full rate.
 * The CLI also reloads the search-attribute map from SQLite on every read (so a new custom search
 * attribute is visible at once); the project defines none, and it was a fifth of all SQLite
 * calls during the burst (9,650 of 43,963). With the server's own 60 s cache, a new one takes up
 * to a minute to be seen.
 * The CLI caps the history service's cache of workflow state at 8,096 executions. With 10,000
 * flows due together, the history service read a workflow back from SQLite for nearly every task
 * it handed out (bench:lifecycle's 10,000-flow baseline: GetWorkflowExecution 253 and 272 times in
 * two 10 s windows in which RecordWorkflowTaskStarted ran 271 times each; at 5,000 flows, 111 in
 * the whole burst). The server's own default is 128,000; 32,768 keeps the bench's 10,000
 * subscriptions and its baseline's 10,000 flows in memory.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  'history.timerProcessorSchedulerWorkerCount': 16,
  'history.transferProcessorSchedulerWorkerCount': 16,
  'system.forceSearchAttributesCacheRefreshOnRead': false,
  'history.hostLevelCacheMaxSize': 32_768,
};

export interface DevServerOptions {
  /** Directory for the SQLite file (`temporal.db`); executions survive restarts. Omit for in-memory. */
  dataDir?: string;
  ip?: string;
  /** gRPC port (default 7233, or a free one when 7233 is taken). */
  port?: number;
  /** Web UI port (default port + 1000, or a free one). */
  uiPort?: number;
  headless?: boolean;
  executable?: string;
  namespace?: string;
  /** Port of the server's own Prometheus `/metrics` (default: none). */
  metricsPort?: number;
  /** Dynamic config values (`--dynamic-config-value KEY=JSON`), on top of DEV_SERVER_DYNAMIC_CONFIG. */
  dynamicConfig?: Record<string, unknown>;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function commandLine(pid: number): string {
  const ps = spawnSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
  return ps.status === 0 ? ps.stdout.trim() : '';
}

let setpriv: boolean | undefined;

/**
 * The command that runs `executable` so that the kernel kills it the moment this process dies
 * (util-linux's `setpriv --pdeathsig`, then exec: same pid). A dev server that outlives its worker
 * is worse than none: for 10 s after the worker's last poll the server still routes each workflow's
 * next task to that worker's sticky queue, where it waits out the sticky timeout (a minute,
 * workflows/worker.ts) before another worker may run it; and with the pipes of its output closed,
 * it dies at the first line it logs anyway (SIGPIPE). SIGKILL, not SIGTERM: a graceful stop would
 * keep routing tasks for its last second or so. Without setpriv (not Linux), the command as is.
 */
function diesWithParent(executable: string, args: string[]): [string, string[]] {
  setpriv ??= process.platform === 'linux' && spawnSync('setpriv', ['--version']).status === 0;
  return setpriv ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', executable, ...args]] : [executable, args];
}

/**
 * A dev server left running on this data folder by a process that was killed outright (SIGKILL,
 * OOM): stopped before a new one opens the same database file.
 */
async function stopOrphan(pidFile: string, dbFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  removeQuietly(pidFile);
  const running = () => commandLine(pid).includes(dbFile);
  if (!pid || !running()) return;
  console.log(`Stopping the Temporal dev server (pid ${pid}) left running on ${dbFile} by an earlier run…`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (running()) process.kill(pid, 'SIGKILL');
  while (running()) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Starts `temporal server start-dev` (the embedded default of `npm start` when TEMPORAL_ADDRESS is
 * unset) and waits until its front end accepts connections. `stop()` ends it (also on process exit).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const executable = options.executable ?? requireTemporalCli({});
  const ip = options.ip ?? '127.0.0.1';
  const log = options.log ?? ((l: string) => console.log(l));
  const pidFile = options.dataDir ? join(options.dataDir, 'dev-server.pid') : null;
  if (options.dataDir) {
    // Its database holds purchase histories and decision tickets: only its owner may reach it.
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(options.dataDir, 0o700);
    await stopOrphan(pidFile!, join(options.dataDir, 'temporal.db'));
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  // 7233 (and the UI on 8233) when free, as the `temporal` CLI expects; another process may take a
  // port between the check and the bind (two `npm start`s at once): then again on free ports.
  for (let attempt = 1; ; attempt++) {
    const ports = await devServerPorts(options, ip, attempt > 1);
    const started = await spawnDevServer(executable, ip, ports, options, pidFile, deadline);
    if (started.ok) {
      if (options.dataDir) privateFiles(options.dataDir);
      log(
        `Temporal dev server on ${ip}:${ports.port}${started.server.uiUrl ? `, Web UI at ${started.server.uiUrl}` : ''}`,
      );
      return started.server;
    }
    const lostPort = /address already in use/.test(started.output);
    const chosen = options.port !== undefined && (options.headless || options.uiPort !== undefined);
    if (!lostPort || chosen || attempt >= 3) throw new Error(started.error);
  }
}

async function devServerPorts(
  options: DevServerOptions,
  ip: string,
  fresh: boolean,
): Promise<{ port: number; uiPort: number }> {
  let port = options.port ?? (fresh ? await freePort() : 7233);
  if (options.port === undefined && (await portOpen(ip, port))) port = await freePort();
  let uiPort = options.uiPort ?? (fresh ? await freePort() : port + 1000);
  if (!options.headless && options.uiPort === undefined && (await portOpen(ip, uiPort)))
    uiPort = await freePort();
  return { port, uiPort };
}

type Spawned = { ok: true; server: DevServer } | { ok: false; error: string; output: string };

async function spawnDevServer(
  executable: string,
  ip: string,
  { port, uiPort }: { port: number; uiPort: number },
  options: DevServerOptions,
  pidFile: string | null,
  deadline: number,
): Promise<Spawned> {
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.headless) args.push('--headless');
  else args.push('--ui-ip', ip, '--ui-port', String(uiPort));
  if (options.metricsPort !== undefined) args.push('--metrics-port', String(options.metricsPort));
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig }))
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (options.dataDir) args.push('--db-filename', join(options.dataDir, 'temporal.db'));
  // Its own process group: Ctrl-C in the terminal reaches only us, and we stop the server after
  // the worker has drained. If we are killed outright (SIGKILL, the OOM killer) it dies with us
  // (diesWithParent); where that is not available, a pid file lets the next start stop it.
  const [command, commandArgs] = diesWithParent(executable, args);
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid), { mode: 0o600 });
  let output = '';
  // Printed once every service has bound its port: proof that the server answering on `port` is
  // this one, not another that took the port first.
  let bound = false;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    bound ||= /^Server:\s/m.test(output);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | null = null;
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  const gone = new Promise<void>((r) =>
    child.once('exit', (code) => {
      exited = code ?? -1;
      r();
    }),
  );
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  const failed = (why: string): Spawned => {
    process.removeListener('exit', stopOnExit);
    if (exited === null) child.kill('SIGKILL');
    return { ok: false, error: `temporal server start-dev ${why}:\n${output}`, output };
  };

  // The port opens before the frontend is healthy: a worker connecting then is refused with
  // "Frontend is not healthy yet" (seen in CI), so wait until the server answers.
  while (!(bound && (await portOpen(ip, port)) && (await frontendAnswers(`${ip}:${port}`)))) {
    if (exited !== null) {
      await closed; // the rest of its output
      return failed(`exited with ${exited}`);
    }
    if (Date.now() > deadline) return failed(`did not answer on ${ip}:${port} in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ok: true,
    server: {
      address: `${ip}:${port}`,
      namespace,
      uiUrl: options.headless ? null : `http://${ip}:${uiPort}`,
      process: child,
      async stop() {
        process.removeListener('exit', stopOnExit);
        if (exited === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await gone;
          clearTimeout(timer);
        }
        if (pidFile) removeQuietly(pidFile);
      },
    },
  };
}

export interface TemporalEnv {
  TEMPORAL_ADDRESS?: string;
  TEMPORAL_CLI?: string;
  PATH?: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TLS_CERT?: string;
  TEMPORAL_TLS_KEY?: string;
  TEMPORAL_API_KEY?: string;
}

/**
 * The cluster to use: TEMPORAL_ADDRESS when set, otherwise a dev server started here (persisted
 * under `<dataDir>/temporal`). The caller stops `devServer` on shutdown.
 */
export async function resolveTemporal(
  config: TemporalEnv,
  options: { dataDir: string; log?: (line: string) => void; headless?: boolean },
): Promise<{ target: TemporalTarget; devServer: DevServer | null }> {
  if (config.TEMPORAL_ADDRESS) {
    return {
      target: {
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        tlsCert: config.TEMPORAL_TLS_CERT,
        tlsKey: config.TEMPORAL_TLS_KEY,
        apiKey: config.TEMPORAL_API_KEY,
      },
      devServer: null,
    };
  }
  // Provisioning always says what it does (a Go build takes minutes), whatever `log` is.
  const executable = await provisionTemporalCli({
    env: { TEMPORAL_CLI: config.TEMPORAL_CLI, PATH: config.PATH },
  });
  const devServer = await startDevServer({
    executable,
    dataDir: join(options.dataDir, 'temporal'),
    namespace: config.TEMPORAL_NAMESPACE,
    log: options.log,
    headless: options.headless,
  });
  return { target: { address: devServer.address, namespace: devServer.namespace }, devServer };
}

/** The dev server's SQLite files are made 0644 (its umask): 0600 for them, in their 0700 folder. */
function privateFiles(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isFile()) chmodSync(join(dir, entry.name), 0o600);
}
