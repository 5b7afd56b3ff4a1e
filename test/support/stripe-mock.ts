/**
 * stripe-mock (Stripe's official mock of its API: it answers fixtures and checks every request
 * against Stripe's OpenAPI spec), provisioned by the tests like the Temporal CLI
 * (runtime/temporal-provision.ts): STRIPE_MOCK, then PATH, then `.tools/bin/stripe-mock`, else a
 * `go install` of the pinned version into `.tools/bin` (once; later runs find it), under the same
 * lock so parallel test files build it once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { acquireLock, installAtomically, run, toolsDir } from '../../runtime/temporal-provision.js';

export const STRIPE_MOCK_VERSION = 'v0.203.0';
const MODULE = `github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}`;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function find(env: NodeJS.ProcessEnv, tools: string): string | null {
  const onPath = (env.PATH ?? '').split(delimiter).map((d) => join(d, 'stripe-mock'));
  for (const c of [env.STRIPE_MOCK, ...onPath, join(tools, 'bin', 'stripe-mock')]) {
    if (c && isExecutable(c)) return resolve(c);
  }
  return null;
}

/** The path of a stripe-mock binary, built with Go into `.tools/bin` when there is none. */
export async function provisionStripeMock(
  env: NodeJS.ProcessEnv = process.env,
  tools = toolsDir,
): Promise<string> {
  const found = find(env, tools);
  if (found) return found;
  await mkdir(join(tools, 'bin'), { recursive: true });
  const release = await acquireLock(join(tools, 'stripe-mock.lock'), () => find(env, tools));
  if (typeof release === 'string') return release;
  try {
    const again = find(env, tools);
    if (again) return again;
    const go = (env.PATH ?? '')
      .split(delimiter)
      .map((d) => join(d, 'go'))
      .find(isExecutable);
    if (!go) throw new Error(`stripe-mock is missing and Go is not installed to build ${MODULE}`);
    const temp = await mkdtemp(join(tools, 'build-'));
    try {
      // Go needs the whole environment (HOME, GOPATH, GOPROXY, GOCACHE…); only GOBIN is ours.
      const output = await run(go, ['install', '-ldflags', '-s -w', MODULE], {
        ...env,
        GOBIN: temp,
        CGO_ENABLED: '0',
      });
      const built = join(temp, 'stripe-mock');
      if (!isExecutable(built)) throw new Error(`go install ${MODULE} produced no binary:\n${output}`);
      const target = join(tools, 'bin', 'stripe-mock');
      await installAtomically(built, target);
      return target;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  } finally {
    await release();
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = new Socket();
    socket.once('connect', () => ok(true)).once('error', () => ok(false));
    socket.connect(port, '127.0.0.1');
  }).finally(() => undefined) as Promise<boolean>;
}

export interface RunningStripeMock {
  /** `http://127.0.0.1:<port>`: STRIPE_API_BASE for the provider. */
  base: string;
  stop(): Promise<void>;
}

/** Starts stripe-mock on free local ports; stop() ends it. */
export async function startStripeMock(): Promise<RunningStripeMock> {
  const binary = await provisionStripeMock();
  const [http, https] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    binary,
    ['-http-addr', `127.0.0.1:${http}`, '-https-addr', `127.0.0.1:${https}`],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 15_000;
  while (!(await accepts(http))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`stripe-mock did not start (exit ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base: `http://127.0.0.1:${http}`,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}
