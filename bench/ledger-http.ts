/** The ledger bench's HTTP side: `serve api` as a child process, and a light debit client for it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';

/** `serve api` on `port`, resolved once it listens; `nodeFlags` go to node (e.g. `--cpu-prof`). */
export async function startApi(
  databaseUrl: string,
  port: number,
  operatorKey: string,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'cli/main.ts', 'serve', 'api'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      OPERATOR_API_KEY: operatorKey,
      DATABASE_POOL_MAX: '40',
      // The limiter runs on every request (its cost is measured) but never refuses the bench's clients.
      RATE_LIMIT_REQUESTS: '1000000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
  return child;
}

/**
 * Runs `fn` against a fresh `serve api`, stopped afterwards: its pool's connections are closed
 * before pgbench needs them (max_connections is shared), and each group starts cold.
 */
export async function withApi<T>(
  databaseUrl: string,
  port: number,
  operatorKey: string,
  fn: () => Promise<T>,
): Promise<T> {
  const child = await startApi(databaseUrl, port, operatorKey);
  try {
    return await fn();
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export interface DebitClient {
  debit(workspaceId: string, idempotencyKey: string): Promise<void>;
  close(): void;
}

/** One POST /debits of one credit with `bearer`; resolves on 201, rejects on any other answer. */
export function postDebit(
  agent: Agent,
  port: number,
  bearer: string,
  ws: string,
  idempotencyKey: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const body = JSON.stringify({ amount: 1, idempotencyKey });
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/v1/workspaces/${ws}/debits`,
        headers: {
          authorization: `Bearer ${bearer}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * One kept-alive connection per concurrent caller, as a pool of real callers would have;
 * node:http is lighter than fetch (undici) and shares the two cores with the API and PostgreSQL.
 */
export function httpDebitClient(port: number, operatorKey: string, connections: number): DebitClient {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  return {
    debit: (ws, idempotencyKey) => postDebit(agent, port, operatorKey, ws, idempotencyKey),
    close: () => agent.destroy(),
  };
}
