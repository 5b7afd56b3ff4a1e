/**
 * Ledger benchmark: debits per second and latency, in-process and over HTTP, spread over 1,000
 * workspaces and on one hot workspace, at 1, 8 and 32 clients; balance reads with 1,000,000
 * journal entries. pgbench (built-in tpcb-like) runs on the same PostgreSQL at the same
 * concurrency in the same run, as the machine's own limit. Writes bench/results/ledger.json.
 *
 *   npm run bench:ledger            (BENCH_SECONDS=8, BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { ledgerCatalog } from '../ledger/catalog/ledger-catalog.js';
import { Ledger } from '../ledger/ledger.js';
import { verifyLedger } from '../ledger/verify.js';
import { createContext } from '../runtime/context.js';
import {
  dropDatabase,
  freshDatabase,
  type LoadResult,
  load,
  percentile,
  run,
  seedLedger,
} from './support.js';

const ADMIN = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const WORKSPACES = 1000;
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const OPERATOR_KEY = 'bench-operator-key-0123456789';

const log = (s: string) => console.log(s);

async function pgbench(clients: number): Promise<number> {
  const url = new URL(ADMIN);
  url.pathname = '/credits_pgbench';
  const { stdout } = await run(
    'pgbench',
    [
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, cpus().length)),
      '-T',
      String(SECONDS),
      '-M',
      'prepared',
      url.toString(),
    ],
    { maxBuffer: 1 << 20 },
  );
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!m) throw new Error(`cannot read pgbench output:\n${stdout}`);
  return Number(m[1]);
}

async function startApi(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', 'api'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      OPERATOR_API_KEY: OPERATOR_KEY,
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

async function main() {
  log(`Preparing: ${WORKSPACES} workspaces, ${ENTRIES.toLocaleString()} journal entries, pgbench scale 32…`);
  const benchUrl = await freshDatabase(ADMIN, 'credits_bench', true);
  const ctx = createContext({ databaseUrl: benchUrl, poolMax: 40 });
  const t0 = performance.now();
  const workspaces = await seedLedger(ctx.sql, { workspaces: WORKSPACES, entries: ENTRIES, prefix: 'b' });
  const hot = workspaces[0]!;
  log(`  ledger seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await freshDatabase(ADMIN, 'credits_pgbench', false);
  const pgUrl = new URL(ADMIN);
  pgUrl.pathname = '/credits_pgbench';
  await run('pgbench', ['-i', '-q', '-s', '32', pgUrl.toString()], { maxBuffer: 1 << 24 });

  let seq = 0;
  const key = () => `bench-${process.pid}-${++seq}`;
  // A fresh ledger per scenario: its batcher and pool start cold each time, like a new process.
  const inProcess = (pick: (client: number, i: number) => string) => async (clients: number) => {
    const ledger = new Ledger(ctx.sql, ledgerCatalog(ctx.catalog));
    await load(clients, 500, (c, i) => ledger.debit(pick(c, i), { amount: 1, idempotencyKey: key() }));
    return load(clients, SECONDS * 1000, (c, i) =>
      ledger.debit(pick(c, i), { amount: 1, idempotencyKey: key() }),
    );
  };
  const spread = (c: number, i: number) => workspaces[(c * 7919 + i * 104729) % workspaces.length]!;
  const port = 30000 + (process.pid % 20000);
  const api = await startApi(benchUrl, port);
  const overHttp = (pick: (client: number, i: number) => string) => async (clients: number) => {
    // One kept-alive connection per client, as a pool of real callers would have; node:http is
    // lighter than fetch (undici) and shares the two cores with the API and PostgreSQL.
    const agent = new Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
    const post = (ws: string) =>
      new Promise<void>((resolve, reject) => {
        const body = JSON.stringify({ amount: 1, idempotencyKey: key() });
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/v1/workspaces/${ws}/debits`,
            headers: {
              authorization: `Bearer ${OPERATOR_KEY}`,
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
    try {
      await load(clients, 500, (c, i) => post(pick(c, i)));
      return await load(clients, SECONDS * 1000, (c, i) => post(pick(c, i)));
    } finally {
      agent.destroy();
    }
  };

  const rows: Record<string, unknown>[] = [];
  try {
    for (const clients of CLIENTS) {
      log(`\n— ${clients} client(s)`);
      const pg = await pgbench(clients);
      log(`  pgbench tpcb-like            ${pg.toFixed(0)} tps`);
      const scenarios: [string, (c: number) => Promise<LoadResult>][] = [
        ['in-process, spread', inProcess(spread)],
        ['in-process, hot workspace', inProcess(() => hot)],
        ['HTTP, spread', overHttp(spread)],
        ['HTTP, hot workspace', overHttp(() => hot)],
      ];
      const results: Record<string, LoadResult> = {};
      for (const [name, scenario] of scenarios) {
        const r = await scenario(clients);
        results[name] = r;
        log(
          `  ${name.padEnd(28)} ${r.perSecond.toFixed(0).padStart(6)} debits/s   p50 ${r.p50ms.toFixed(2)} ms   p99 ${r.p99ms.toFixed(2)} ms${r.errors ? `   ${r.errors} errors` : ''}`,
        );
      }
      rows.push({
        clients,
        pgbenchTps: pg,
        ...Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v])),
        ratios: {
          inProcessSpreadVsPgbench: results['in-process, spread']!.perSecond / pg,
          httpSpreadVsPgbench: results['HTTP, spread']!.perSecond / pg,
          inProcessHotVsSpread:
            results['in-process, hot workspace']!.perSecond / results['in-process, spread']!.perSecond,
          httpHotVsSpread: results['HTTP, hot workspace']!.perSecond / results['HTTP, spread']!.perSecond,
        },
      });
    }
  } finally {
    api.kill('SIGTERM');
  }

  log('\n— balance reads (1,000,000+ journal entries)');
  const reads: Record<string, LoadResult> = {};
  for (const clients of [1, 8]) {
    await load(clients, 500, (c, i) => ctx.ledger.balance(spread(c, i)));
    reads[`${clients} client(s)`] = await load(clients, SECONDS * 1000, (c, i) =>
      ctx.ledger.balance(spread(c, i)),
    );
    const r = reads[`${clients} client(s)`]!;
    log(
      `  ${clients} client(s): ${r.perSecond.toFixed(0)} reads/s   p50 ${r.p50ms.toFixed(2)} ms   p99 ${r.p99ms.toFixed(2)} ms`,
    );
  }
  const [{ entries }] = (await ctx.sql`SELECT count(*)::int AS entries FROM journal`) as unknown as [
    { entries: number },
  ];
  const violations = await verifyLedger(ctx.sql);
  log(
    `\nJournal entries at the end: ${entries.toLocaleString()}; verify: ${violations.length === 0 ? 'ok' : `${violations.length} violations`}`,
  );

  const summary = rows.map((r) => {
    const ratios = r.ratios as Record<string, number>;
    return {
      clients: r.clients,
      pgbench: Math.round(r.pgbenchTps as number),
      inProcSpread: Math.round((r['in-process, spread'] as LoadResult).perSecond),
      inProcHot: Math.round((r['in-process, hot workspace'] as LoadResult).perSecond),
      httpSpread: Math.round((r['HTTP, spread'] as LoadResult).perSecond),
      httpHot: Math.round((r['HTTP, hot workspace'] as LoadResult).perSecond),
      'inProc/pg': `${(ratios.inProcessSpreadVsPgbench! * 100).toFixed(0)}%`,
      'http/pg': `${(ratios.httpSpreadVsPgbench! * 100).toFixed(0)}%`,
      'hot/spread': `${(ratios.inProcessHotVsSpread! * 100).toFixed(0)}%`,
      'httpHot/spread': `${(ratios.httpHotVsSpread! * 100).toFixed(0)}%`,
    };
  });
  console.table(summary);
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    config: {
      seconds: SECONDS,
      clients: CLIENTS,
      workspaces: WORKSPACES,
      journalEntries: entries,
      pgbenchScale: 32,
    },
    targets: {
      inProcessSpreadVsPgbench: 0.8,
      httpSpreadVsPgbench: 0.6,
      hotVsSpread: 0.5,
      balanceReadP99ms: 5,
    },
    debits: rows,
    balanceReads: reads,
    verify: { violations: violations.length },
    summary,
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/ledger.json', `${JSON.stringify(result, null, 2)}\n`);
  log('Wrote bench/results/ledger.json');
  await ctx.close();
  if (!process.env.BENCH_KEEP) {
    await dropDatabase(ADMIN, 'credits_bench');
    await dropDatabase(ADMIN, 'credits_pgbench');
  }
  void percentile;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
