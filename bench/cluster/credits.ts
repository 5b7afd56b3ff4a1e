/**
 * The Credits side of the cluster run, through the public entry points only (`credits migrate`,
 * `credits serve api|worker|bots`, `credits verify`, the environment of docs/deployment.md): each
 * role a process of its own, as compose runs them, that the run can kill -9 and start again.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../runtime/temporal.js';
import { Service } from '../../test/start/support.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const cli = ['bin/credits.js'];

export type Role = 'api' | 'worker' | 'bots';

/** One replica: its role, its port (API and bots: PORT; worker: WORKER_HEALTH_PORT), its process. */
export class Replica {
  service: Service | undefined;
  starts = 0;

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const portVar = this.role === 'worker' ? 'WORKER_HEALTH_PORT' : 'PORT';
    this.service = new Service(
      process.execPath,
      [...cli, 'serve', this.role],
      { ...this.env, [portVar]: String(this.port) },
      projectRoot,
    );
    this.starts++;
    await this.waitHealthy(240_000);
  }

  async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      return false;
    }
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.healthy())) {
      if (!this.service?.running)
        throw new Error(`${this.name} exited:\n${this.service?.output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not healthy in time:\n${this.service.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** kill -9: no drain, no goodbye; its open transactions and tasks are left to the others. */
  async kill9(): Promise<void> {
    const s = this.service!;
    process.kill(s.pid, 'SIGKILL');
    await s.exit();
  }

  async stop(): Promise<void> {
    const s = this.service;
    if (!s?.running) return;
    await s.terminate(30_000);
  }

  async destroy(): Promise<void> {
    await this.service?.destroy();
  }
}

export async function replica(name: string, role: Role, env: NodeJS.ProcessEnv): Promise<Replica> {
  return new Replica(name, role, await freePort(), env);
}

/** `credits <args>` once (migrate, verify); its exit status and output. */
export function credits(args: string[], env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [...cli, ...args], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely by the run
  body: any;
  attempts: number;
}

/**
 * The "small round-robin client" in front of the API replicas: each attempt goes to the next
 * replica; a refused connection, a timeout, a 5xx or a 429 is retried on the next one with the
 * same request (same idempotency key) until `deadlineMs`, as a load balancer with retries would.
 */
export class RoundRobin {
  private next = 0;
  retries = 0;

  constructor(
    private readonly urls: () => string[],
    private readonly key: string,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { idempotencyKey?: string; deadlineMs?: number } = {},
  ): Promise<Reply> {
    const deadline = Date.now() + (options.deadlineMs ?? 120_000);
    let attempts = 0;
    let last = '';
    for (;;) {
      const urls = this.urls();
      const base = urls[this.next++ % urls.length]!;
      attempts++;
      try {
        const r = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.key}`,
            'content-type': 'application/json',
            ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await r.text();
        if (r.status < 500 && r.status !== 429) {
          return { status: r.status, body: text ? JSON.parse(text) : null, attempts };
        }
        last = `${r.status} ${text.slice(0, 200)}`;
      } catch (err) {
        last = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      if (Date.now() > deadline) return { status: 0, body: { error: last }, attempts };
      this.retries++;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** Math.min(attempts, 6))));
    }
  }
}
