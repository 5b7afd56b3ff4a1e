/**
 * Ledger benchmark, all in one run on one PostgreSQL, so the ratios mean something:
 * - pgbench tpcb-like (built-in) at each client count: the machine's own limit;
 * - pgbench running our own debit function (`credits_debit_multi`, as the ledger calls it for a lone debit; a custom script): the
 *   server-side ceiling of a debit, without the Node process;
 * - debits in-process (Ledger) and over HTTP (`serve api`), closed loop, at each client count, on
 *   four workload shapes over 10,000 workspaces: uniform spread, one hot workspace, and Zipf
 *   s = 1 and s = 2 (pgbench draws the same shapes with random/random_zipfian);
 * - open loop: debits on a Poisson schedule at target rates (pgbench `-R` with `--latency-limit`
 *   on its side), latency from the scheduled start, counting requests that could not start in time;
 * - holds in-process: each request a hold then its capture (two writes), spread, at each client count;
 *   budgets: the in-process spread case again with three budgets matching every debit (ledger-budgets.ts);
 * - balance reads at 1 and 8 clients over 1,000,000+ journal entries;
 * - `verify` at the end: the run fails (exit 1) if it finds any violation.
 * The seeded tables are vacuumed before the first case and every case starts with a CHECKPOINT.
 * p50/p99 for every case (pgbench's from its per-transaction log). Writes bench/results/ledger.json
 * with the issue's targets, pass/fail each, and the load average at start and end.
 *
 *   npm run bench:ledger
 *
 * Environment (all optional):
 *   BENCH_ADMIN_URL      admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_SECONDS        seconds per case (8)
 *   BENCH_CLIENTS        closed-loop client counts (1,8,32)
 *   BENCH_WORKSPACES     workspaces seeded (10000; at most 100000)
 *   BENCH_ENTRIES        journal entries seeded, spread evenly (1000000)
 *   BENCH_SCENARIOS      any of tpcb,pgdebit,inprocess,budgets,http,open,reads,holds (all)
 *   BENCH_SHAPES         closed-loop shapes: any of spread,hot,zipf1,zipf2 (all)
 *   BENCH_OPEN_SHAPES    open-loop shapes (spread,zipf2)
 *   BENCH_OPEN_RATES     open-loop target rates per second, e.g. 500,1000; when unset, the
 *                        BENCH_OPEN_FRACTIONS (0.5,0.8) of pgbench tpcb-like at the top client count
 *   BENCH_OPEN_CLIENTS   open loop: requests outstanding at most (pgbench -c) (the top client count)
 *   BENCH_LATE_MS        open loop: a request not started this late is missed (pgbench --latency-limit) (50)
 *   BENCH_SEED           workload seed (1)
 *   BENCH_OUT            where the results go (bench/results/ledger.json); a partial run, e.g.
 *                        BENCH_SCENARIOS=tpcb,holds, can leave the full run's file alone
 *   BENCH_KEEP           keep the bench databases (credits_bench_ledger_<pid>, credits_pgbench_<pid>)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { ledgerCatalog } from '../ledger/catalog/ledger-catalog.js';
import { alertDefaultsOf } from '../ledger/commands/context.js';
import { prepareDebit } from '../ledger/commands/debit.js';
import { connect } from '../ledger/db.js';
import { Ledger } from '../ledger/ledger.js';
import { verifyLedger } from '../ledger/verify.js';
import { createContext } from '../runtime/context.js';
import { type CpuSplit, metered } from './cpu-meter.js';
import { BUDGET_CASE, BUDGETED_DEBIT, seedBenchBudgets, withBudgets } from './ledger-budgets.js';
import { httpDebitClient, withApi } from './ledger-http.js';
import {
  type ClientRow,
  caseName,
  caseRows,
  closedLoopTable,
  evaluateTargets,
  type OpenLoopRun,
  openLoopTable,
  ratiosFor,
  TPCB,
  targetsTable,
} from './ledger-report.js';
import { type OpenLoopResult, openLoop } from './open-loop.js';
import { debitScript, type PgbenchResult, pgbench, pgbenchInit, pgbenchZipfParameter } from './pgbench.js';
import { dropDatabase, freshDatabase, type LoadResult, load, seedLedger } from './support.js';
import { type Picker, picker, type Shape } from './zipf.js';

const env = process.env;
const list = (v: string | undefined, d: string) =>
  (v ?? d)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const ADMIN = env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(env.BENCH_SECONDS ?? 8);
const CLIENTS = list(env.BENCH_CLIENTS, '1,8,32').map(Number);
const WORKSPACES = Number(env.BENCH_WORKSPACES ?? 10_000);
const ENTRIES = Number(env.BENCH_ENTRIES ?? 1_000_000);
const SCENARIOS = new Set(list(env.BENCH_SCENARIOS, 'tpcb,pgdebit,inprocess,budgets,http,open,reads,holds'));
const SHAPES = list(env.BENCH_SHAPES, 'spread,hot,zipf1,zipf2');
const OPEN_SHAPES = list(env.BENCH_OPEN_SHAPES, 'spread,zipf2');
const OPEN_FRACTIONS = list(env.BENCH_OPEN_FRACTIONS, '0.5,0.8').map(Number);
const OPEN_CLIENTS = Number(env.BENCH_OPEN_CLIENTS ?? Math.max(...CLIENTS));
const LATE_MS = Number(env.BENCH_LATE_MS ?? 50);
const SEED = Number(env.BENCH_SEED ?? 1);
const OUT = env.BENCH_OUT ?? 'bench/results/ledger.json';
const PGBENCH_SCALE = 32;
const PREFIX = 'b';
const OPERATOR_KEY = 'bench-operator-key-0123456789';
// Per run, so two benches on one server (other worktrees) never drop each other's database.
const LEDGER_DB = `credits_bench_ledger_${process.pid}`;
const PGBENCH_DB = `credits_pgbench_${process.pid}`;

const SHAPE_OF: Record<string, { label: string; shape: Shape }> = {
  spread: { label: 'spread', shape: { kind: 'uniform' } },
  hot: { label: 'hot workspace', shape: { kind: 'hot' } },
  zipf1: { label: 'zipf s=1', shape: { kind: 'zipf', s: 1 } },
  zipf2: { label: 'zipf s=2', shape: { kind: 'zipf', s: 2 } },
};
for (const s of [...SHAPES, ...OPEN_SHAPES]) {
  if (!SHAPE_OF[s]) throw new Error(`unknown shape ${s}: use spread, hot, zipf1 or zipf2`);
}

const log = (s: string) => console.log(s);
const cpuText = (c: CpuSplit | null | undefined) =>
  c
    ? `   CPU ${c.usPerOp.total.toFixed(0)} µs/op (pg ${c.usPerOp.postgres.toFixed(0)}), busy ${Math.round(100 * c.busy)} %`
    : '';
const line = (name: string, r: LoadResult & { cpu?: CpuSplit | null }, extra = '') =>
  log(
    `  ${name.padEnd(30)} ${r.perSecond.toFixed(0).padStart(6)}/s   p50 ${r.p50ms.toFixed(2)} ms   p99 ${r.p99ms.toFixed(2)} ms${r.errors ? `   ${r.errors} errors` : ''}${cpuText(r.cpu)}${extra}`,
  );

async function main() {
  const startedAt = Date.now();
  const loadStart = loadavg();
  log(
    `Preparing: ${WORKSPACES.toLocaleString()} workspaces, ${ENTRIES.toLocaleString()} journal entries, pgbench scale ${PGBENCH_SCALE}… (load ${loadStart.map((l) => l.toFixed(2)).join(' ')})`,
  );
  const benchUrl = await freshDatabase(ADMIN, LEDGER_DB, true);
  // Seeding, balance reads (8 clients) and verify: the cases bring their own pools.
  const ctx = createContext({ databaseUrl: benchUrl, poolMax: 10 });
  const t0 = performance.now();
  const workspaces = await seedLedger(ctx.sql, { workspaces: WORKSPACES, entries: ENTRIES, prefix: PREFIX });
  const seedSeconds = (performance.now() - t0) / 1000;
  log(`  ledger seeded in ${seedSeconds.toFixed(1)} s`);
  // The seed's million rows would otherwise be vacuumed by autovacuum during the first cases.
  await ctx.sql`VACUUM (ANALYZE) journal, journal_lots, lots, workspaces, usage_daily, usage_daily_detail`;
  if (SCENARIOS.has('budgets')) await seedBenchBudgets(ctx.sql, PREFIX);
  const pgUrl = await freshDatabase(ADMIN, PGBENCH_DB, false);
  if (SCENARIOS.has('tpcb')) await pgbenchInit(pgUrl, PGBENCH_SCALE);
  const catalog = ledgerCatalog(ctx.catalog);
  const script = (shape: Shape) =>
    debitScript({
      shape,
      workspaces: WORKSPACES,
      prefix: PREFIX,
      width: 5,
      hash: prepareDebit(catalog, { amount: 1, idempotencyKey: 'k' }).hash,
      thresholds: alertDefaultsOf(catalog),
    });
  const pick = (shapeId: string): Picker => picker(workspaces, SHAPE_OF[shapeId]!.shape, SEED);

  // Every case starts just after a checkpoint, so none pays for the writes of the cases before it
  // (a time- or WAL-triggered checkpoint spread over one case and not another).
  const settle = () => ctx.sql`CHECKPOINT`;
  let seq = 0;
  const key = () => `bench-${process.pid}-${++seq}`;
  // A fresh ledger and pool per case, closed after it: the batcher and pool start cold each time,
  // like a new process, and no idle connections are left for pgbench to find max_connections full.
  const withLedger = async <T>(fn: (ledger: Ledger) => Promise<T>): Promise<T> => {
    const sql = connect(benchUrl, { max: 40 });
    try {
      return await fn(new Ledger(sql, catalog));
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  const inProcess =
    (p: Picker, extra = {}) =>
    (clients: number) =>
      withLedger(async (ledger) => {
        const debit = (c: number, i: number) =>
          ledger.debit(p(c, i), { ...extra, amount: 1, idempotencyKey: key() });
        await load(clients, 500, debit);
        return metered(() => load(clients, SECONDS * 1000, debit));
      });
  const port = 30000 + (process.pid % 20000);
  const overHttp = (p: Picker) => async (clients: number) => {
    const http = httpDebitClient(port, OPERATOR_KEY, clients);
    try {
      await load(clients, 500, (c, i) => http.debit(p(c, i), key()));
      return await metered(() => load(clients, SECONDS * 1000, (c, i) => http.debit(p(c, i), key())));
    } finally {
      http.close();
    }
  };
  const api = <T>(fn: () => Promise<T>) => withApi(benchUrl, port, OPERATOR_KEY, fn);

  // A hold and its capture, one after the other: the pattern of an AI call of unknown cost.
  const holdThenCapture = (p: Picker) => (clients: number) =>
    withLedger(async (ledger) => {
      const pair = async (c: number, i: number) => {
        const { hold } = await ledger.placeHold(p(c, i), {
          amount: 2,
          timeoutSeconds: 600,
          idempotencyKey: key(),
        });
        await ledger.capture(hold.id, { amount: 1, idempotencyKey: key() });
      };
      await load(clients, 500, pair);
      return metered(() => load(clients, SECONDS * 1000, pair));
    });
  const holdPairs: (LoadResult & { clients: number; writesPerSecond: number })[] = [];

  const rows: ClientRow[] = [];
  for (const clients of CLIENTS) {
    log(`\n— ${clients} client(s), closed loop`);
    const row: ClientRow = { clients, cases: {} };
    rows.push(row);
    const record = async (name: string, measure: () => Promise<ClientRow['cases'][string]>) => {
      await settle();
      const r = await measure();
      row.cases[name] = r;
      line(name, r);
    };
    if (SCENARIOS.has('tpcb'))
      await record(TPCB, () => metered(() => pgbench({ url: pgUrl, clients, seconds: SECONDS })));
    if (SCENARIOS.has('pgdebit')) {
      for (const s of SHAPES) {
        await record(caseName('pgbench debit', SHAPE_OF[s]!.label), () =>
          metered(() =>
            pgbench({ url: benchUrl, clients, seconds: SECONDS, script: script(SHAPE_OF[s]!.shape) }),
          ),
        );
      }
    }
    if (SCENARIOS.has('inprocess')) {
      for (const s of SHAPES)
        await record(caseName('in-process', SHAPE_OF[s]!.label), () => inProcess(pick(s))(clients));
    }
    const budgeted = () => withBudgets(ctx.sql, () => inProcess(pick('spread'), BUDGETED_DEBIT)(clients));
    if (SCENARIOS.has('budgets')) await record(BUDGET_CASE, budgeted);
    if (SCENARIOS.has('http')) {
      await api(async () => {
        for (const s of SHAPES)
          await record(caseName('HTTP', SHAPE_OF[s]!.label), () => overHttp(pick(s))(clients));
      });
    }
    if (SCENARIOS.has('holds')) {
      await settle();
      const r = await holdThenCapture(pick('spread'))(clients);
      holdPairs.push({ clients, ...r, writesPerSecond: 2 * r.perSecond });
      line('hold + capture, spread', r, `   (${(2 * r.perSecond).toFixed(0)} writes/s)`);
    }
  }

  const openRuns: OpenLoopRun[] = [];
  const top = rows.find((r) => r.clients === Math.max(...CLIENTS))?.cases[TPCB];
  const openRates = !SCENARIOS.has('open')
    ? []
    : env.BENCH_OPEN_RATES
      ? list(env.BENCH_OPEN_RATES, '').map(Number)
      : top
        ? OPEN_FRACTIONS.map((f) => Math.round(f * top.perSecond))
        : [];
  if (SCENARIOS.has('open') && openRates.length === 0) {
    log('\n(open loop skipped: set BENCH_OPEN_RATES, or run tpcb for its rates)');
  }
  for (const rate of openRates) {
    log(`\n— open loop at ${rate}/s, at most ${OPEN_CLIENTS} outstanding, missed if ${LATE_MS} ms late`);
    const opts = { rate, ms: SECONDS * 1000, maxInFlight: OPEN_CLIENTS, lateLimitMs: LATE_MS, seed: SEED };
    const runs = OPEN_SHAPES.map((s): OpenLoopRun => ({ rate, shape: SHAPE_OF[s]!.label, cases: {} }));
    openRuns.push(...runs);
    const each = async (side: string, measure: (s: string) => Promise<OpenLoopResult | PgbenchResult>) => {
      for (const [i, s] of OPEN_SHAPES.entries()) {
        await settle();
        const r = await measure(s);
        runs[i]!.cases[side] = r;
        const missed = 'missed' in r ? r.missed : r.skipped;
        line(`${side}, ${SHAPE_OF[s]!.label}`, r, `   missed ${missed ?? 0}   late ${r.late ?? 0}`);
      }
    };
    if (SCENARIOS.has('pgdebit')) {
      await each('pgbench debit', (s) =>
        pgbench({
          url: benchUrl,
          clients: OPEN_CLIENTS,
          seconds: SECONDS,
          script: script(SHAPE_OF[s]!.shape),
          rate,
          lateLimitMs: LATE_MS,
        }),
      );
    }
    if (SCENARIOS.has('inprocess')) {
      await each('in-process', (s) =>
        withLedger(async (ledger) => {
          const p = pick(s);
          await load(OPEN_CLIENTS, 500, (c, i) =>
            ledger.debit(p(c, i), { amount: 1, idempotencyKey: key() }),
          );
          return openLoop(opts, (i) => ledger.debit(p(0, i), { amount: 1, idempotencyKey: key() }));
        }),
      );
    }
    if (SCENARIOS.has('http')) {
      await api(() =>
        each('HTTP', async (s) => {
          const http = httpDebitClient(port, OPERATOR_KEY, OPEN_CLIENTS);
          const p = pick(s);
          try {
            await load(OPEN_CLIENTS, 500, (c, i) => http.debit(p(c, i), key()));
            return await openLoop(opts, (i) => http.debit(p(0, i), key()));
          } finally {
            http.close();
          }
        }),
      );
    }
  }

  const reads: Record<string, LoadResult> = {};
  if (SCENARIOS.has('reads')) {
    log(`\n— balance reads (${ENTRIES.toLocaleString()}+ journal entries)`);
    const p = pick('spread');
    for (const clients of [1, 8]) {
      await load(clients, 500, (c, i) => ctx.ledger.balance(p(c, i)));
      const r = await load(clients, SECONDS * 1000, (c, i) => ctx.ledger.balance(p(c, i)));
      reads[`${clients} client(s)`] = r;
      line(`${clients} client(s)`, r);
    }
  }

  const [{ entries }] = (await ctx.sql`SELECT count(*)::int AS entries FROM journal`) as unknown as [
    { entries: number },
  ];
  const violations = await verifyLedger(ctx.sql);
  log(
    `\nJournal entries at the end: ${entries.toLocaleString()}; verify: ${violations.length === 0 ? 'ok' : `${violations.length} VIOLATIONS`}`,
  );

  const targets = evaluateTargets(rows, reads);
  log(
    '\nClosed loop (vs tpcb = ÷ pgbench tpcb-like; vs pg debit = ÷ pgbench calling credits_debit_multi, same shape)',
  );
  log(closedLoopTable(rows));
  if (openRuns.length > 0) {
    log(
      `\nOpen loop (latency from the scheduled start; svc p99 from the actual send; missed = not started within ${LATE_MS} ms)`,
    );
    log(openLoopTable(openRuns));
  }
  log('\nTargets (issue 12)');
  log(targetsTable(targets));
  const failing = [...caseRows(rows), ...openRuns.flatMap((r) => Object.values(r.cases))].filter(
    (r) => r.errors > 0,
  );
  if (failing.length > 0)
    log(`\nWARNING: ${failing.length} case(s) had failed requests (see "errors" above)`);

  const loadEnd = loadavg();
  const result = {
    when: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine: { cpus: cpus().length, node: process.version, loadAverage: { start: loadStart, end: loadEnd } },
    config: {
      seconds: SECONDS,
      clients: CLIENTS,
      workspaces: WORKSPACES,
      seededEntries: ENTRIES,
      journalEntries: entries,
      seedSeconds,
      pgbenchScale: PGBENCH_SCALE,
      scenarios: [...SCENARIOS],
      shapes: SHAPES,
      zipf: { s: [1, 2], pgbenchParameter: [pgbenchZipfParameter(1), pgbenchZipfParameter(2)] },
      openLoop: { shapes: OPEN_SHAPES, rates: openRates, maxOutstanding: OPEN_CLIENTS, lateLimitMs: LATE_MS },
      seed: SEED,
      pgbenchDebitScript: script({ kind: 'zipf', s: 2 }),
    },
    targets,
    debits: rows.map((r) => ({
      clients: r.clients,
      pgbenchTps: r.cases[TPCB]?.perSecond ?? null,
      ...r.cases,
      ratios: ratiosFor(r),
    })),
    openLoop: openRuns,
    holdThenCapture: holdPairs,
    balanceReads: reads,
    verify: { violations: violations.length, first: violations.slice(0, 10) },
    summary: caseRows(rows),
  };
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);
  log(`Wrote ${OUT} (${result.durationSeconds} s; load ${loadEnd.map((l) => l.toFixed(2)).join(' ')})`);
  await ctx.close();
  await dropDatabases();
  if (violations.length > 0) {
    console.error(violations.slice(0, 10));
    throw new Error(
      `verify found ${violations.length} violation(s) after the bench: the ledger is inconsistent`,
    );
  }
}

async function dropDatabases() {
  if (env.BENCH_KEEP) return;
  await dropDatabase(ADMIN, LEDGER_DB);
  await dropDatabase(ADMIN, PGBENCH_DB);
}

main().catch(async (err) => {
  console.error(err);
  await dropDatabases().catch(() => {});
  process.exit(1);
});
