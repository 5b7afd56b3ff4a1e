import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A command of the project run as a user or a process manager runs it, in its own process group. */
export class Service {
  readonly child: ChildProcess;
  output = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = projectRoot) {
    this.child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((ok) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        ok({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  async waitFor(text: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (!this.running) throw new Error(`exited before printing ${JSON.stringify(text)}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(text)} in time:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves when it has exited. */
  async terminate(graceMs: number): Promise<void> {
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => this.running && process.kill(this.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Every process started under this one (children, grandchildren, also those in other groups). */
  descendants(): number[] {
    return descendantsOf(this.pid);
  }

  /** Stops it and everything it left behind (after a test, whatever happened). */
  async destroy(): Promise<void> {
    const left = [this.pid, ...this.descendants()];
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await waitGone(left, 5000).catch(() => {});
  }
}

function processTable(): { pid: number; ppid: number; stat: string; args: string }[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3]!, args: m[4]! }));
}

export function descendantsOf(root: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of table) {
      if (p.ppid === parent && p.stat[0] !== 'Z') {
        out.push(p.pid);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

/** Those of `pids` still running (zombies count as gone: they hold nothing). */
export function stillRunning(pids: number[]): { pid: number; args: string }[] {
  const table = new Map(processTable().map((p) => [p.pid, p]));
  return pids
    .map((pid) => table.get(pid))
    .filter((p) => p !== undefined && p.stat[0] !== 'Z')
    .map((p) => ({ pid: p!.pid, args: p!.args }));
}

export async function waitGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = stillRunning(pids);
    if (!left.length) return;
    if (Date.now() > deadline)
      throw new Error(`still running after ${timeoutMs} ms: ${JSON.stringify(left)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The environment of `npm start` on embedded defaults, with nothing configured from outside. */
export function startEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SLACK_BOT_TOKEN', 'DISCORD_TOKEN']) {
    if (!(k in overrides)) delete env[k];
  }
  return env;
}
