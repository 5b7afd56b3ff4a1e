/**
 * The Temporal server of `npm run e2e:cluster`: the binary built from the Go module at the version
 * of the compose file's images (runtime/temporal-server-provision.ts), configured the way the
 * `temporalio/server` image configures it (the server's embedded config template read from the
 * same environment variables as the compose service: DB, POSTGRES_*, DBNAME…), its schema set up
 * and its namespace registered by the same scripts as the compose jobs (deploy/temporal/).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemporalServerTools } from '../../runtime/temporal-server-provision.js';
import { Service } from '../../test/start/support.js';

const deployDir = fileURLToPath(new URL('../../deploy/temporal/', import.meta.url));

/** The services of one server process and the env names of their ports in the config template. */
const PORT_NAMES = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

/**
 * The environment of the compose `temporal` service (same names; values for this machine): the
 * image's embedded config template reads them (test/deployment/temporal-version.test.ts).
 */
export function serverEnvironment(postgresPort: number, historyShards: number): Record<string, string> {
  return {
    DB: 'postgres12',
    DB_PORT: String(postgresPort),
    POSTGRES_SEEDS: '127.0.0.1',
    POSTGRES_USER: 'postgres',
    POSTGRES_PWD: '',
    NUM_HISTORY_SHARDS: String(historyShards),
    DYNAMIC_CONFIG_FILE_PATH: join(deployDir, 'dynamic-config.yaml'),
    LOG_LEVEL: 'warn',
  };
}

/**
 * A free port below 32768: the server stores its membership ports in a PostgreSQL smallint
 * (cluster_membership.rpc_port), so the kernel's ephemeral ports (32768 and up) are refused.
 */
async function portBelow32768(taken: string[]): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.includes(String(port))) continue;
    const free = await new Promise<boolean>((ok) => {
      const server = createServer();
      server.once('error', () => ok(false));
      server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
    });
    if (free) return port;
  }
}

export interface TemporalServerOptions {
  tools: TemporalServerTools;
  temporalCli: string;
  runDir: string;
  postgresPort: number;
  namespace: string;
  historyShards: number;
}

export class TemporalServer {
  private service: Service | undefined;
  private ports: Record<(typeof PORT_NAMES)[number], string> | undefined;
  private readonly binDir: string;

  constructor(private readonly options: TemporalServerOptions) {
    // The names the admin-tools image has on its PATH, pointing at what this run built.
    this.binDir = join(options.runDir, 'bin');
    mkdirSync(this.binDir, { recursive: true });
    symlinkSync(options.tools.sqlTool, join(this.binDir, 'temporal-sql-tool'));
    symlinkSync(options.temporalCli, join(this.binDir, 'temporal'));
  }

  get address(): string {
    return `127.0.0.1:${this.ports!.FRONTEND_GRPC_PORT}`;
  }

  get output(): string {
    return this.service?.output ?? '';
  }

  get pid(): number | undefined {
    return this.service?.running ? this.service.pid : undefined;
  }

  private scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    return { ...process.env, PATH: `${this.binDir}:${process.env.PATH ?? ''}`, ...extra };
  }

  private script(name: string, env: Record<string, string>): string {
    const r = spawnSync('sh', [join(deployDir, name)], {
      env: this.scriptEnv(env),
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) throw new Error(`${name} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** deploy/temporal/setup-schema.sh, as the compose `temporal-schema` job runs it. */
  setupSchema(): string {
    return this.script('setup-schema.sh', {
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: '127.0.0.1',
      SQL_PORT: String(this.options.postgresPort),
      SQL_USER: 'postgres',
      SQL_PASSWORD: '',
    });
  }

  /** deploy/temporal/register-namespace.sh, as the compose `temporal-namespace` job runs it. */
  registerNamespace(): string {
    return this.script('register-namespace.sh', {
      TEMPORAL_ADDRESS: this.address,
      TEMPORAL_NAMESPACE: this.options.namespace,
    });
  }

  /** Starts `temporal-server start` (the image's entrypoint) and waits for the compose health check. */
  async start(): Promise<void> {
    if (!this.ports) {
      const entries: (readonly [string, string])[] = [];
      for (const n of PORT_NAMES) entries.push([n, String(await portBelow32768(entries.map(([, p]) => p)))]);
      this.ports = Object.fromEntries(entries) as Record<(typeof PORT_NAMES)[number], string>;
    }
    this.service = new Service(
      this.options.tools.server,
      ['start'],
      {
        ...process.env,
        ...serverEnvironment(this.options.postgresPort, this.options.historyShards),
        // What the image's entrypoint sets from the container's address; here loopback and free ports.
        BIND_ON_IP: '127.0.0.1',
        ...this.ports,
      },
      this.options.runDir,
    );
    await this.waitHealthy(180_000);
  }

  /** The compose health check: the frontend's HTTP API answers GET /api/v1/system-info. */
  async healthy(): Promise<boolean> {
    try {
      const r = await fetch(`http://127.0.0.1:${this.ports!.FRONTEND_HTTP_PORT}/api/v1/system-info`, {
        signal: AbortSignal.timeout(2000),
      });
      return r.ok;
    } catch {
      return false;
    }
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.healthy())) {
      if (!this.service?.running)
        throw new Error(`temporal-server exited:\n${this.service?.output.slice(-4000)}`);
      if (Date.now() > deadline)
        throw new Error(`temporal-server not healthy in time:\n${this.service.output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** SIGTERM (what `docker-compose restart temporal` sends), wait for the exit, start again. */
  async restart(): Promise<void> {
    await this.service!.terminate(30_000);
    await this.start();
  }

  async stop(): Promise<void> {
    const s = this.service;
    if (!s?.running) return;
    await s.terminate(20_000);
  }

  async destroy(): Promise<void> {
    await this.service?.destroy();
  }
}
