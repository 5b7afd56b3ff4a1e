/**
 * Where a debit's server time goes, statement by statement, beside pgbench tpcb-like's: the
 * profile behind bench:ledger's ratios. A private PostgreSQL (the embedded binaries, in a
 * temporary folder) runs with pg_stat_statements tracking nested statements too (track = all),
 * so every statement inside `credits_debit_multi` is counted apart from the function itself, and
 * what the function spends outside its statements (PL/pgSQL and jsonb) is the difference.
 * The same seeded ledger as bench:ledger (10,000 workspaces, 1,000,000 journal entries); pgbench
 * drives both cases, with no Node process in the way. Per case: µs of execution and bytes of WAL
 * per transaction, by statement. Writes bench/results/ledger-statements.json.
 *
 *   npm run bench:ledger-statements
 *
 * Three cases: tpcb-like; one debit per call, as a lone request goes; and BENCH_PER_CALL debits
 * in as many workspaces per call, as the batcher sends them under load (per debit: ÷ that).
 *
 * Environment (all optional): BENCH_SECONDS (8), BENCH_CLIENTS (1,8), BENCH_WORKSPACES (10000),
 * BENCH_ENTRIES (1000000), BENCH_PER_CALL (32), BENCH_OUT (bench/results/ledger-statements.json).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultCatalogPath, loadCatalog } from '../ledger/catalog/index.js';
import { ledgerCatalog } from '../ledger/catalog/ledger-catalog.js';
import { alertDefaultsOf } from '../ledger/commands/context.js';
import { prepareDebit } from '../ledger/commands/debit.js';
import { connect, type Sql } from '../ledger/db.js';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.js';
import { debitBatchScript, debitScript, pgbench, pgbenchInit } from './pgbench.js';
import { freshDatabase, seedLedger } from './support.js';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 8);
const CLIENTS = (env.BENCH_CLIENTS ?? '1,8').split(',').map(Number);
const WORKSPACES = Number(env.BENCH_WORKSPACES ?? 10_000);
const ENTRIES = Number(env.BENCH_ENTRIES ?? 1_000_000);
const OUT = env.BENCH_OUT ?? 'bench/results/ledger-statements.json';
const PER_CALL = Number(env.BENCH_PER_CALL ?? 32);
const log = (s: string) => console.log(s);

interface StatementRow {
  statement: string;
  toplevel: boolean;
  callsPerTx: number;
  usPerTx: number;
  walBytesPerTx: number;
  fullPageImagesPerTx: number;
}

interface CaseProfile {
  case: string;
  clients: number;
  /** Debits each transaction carries (1 for tpcb-like: its one transfer). */
  perTransaction: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** Execution time of the top-level statements per transaction, and of those nested in them. */
  topLevelUsPerTx: number;
  nestedUsPerTx: number;
  walBytesPerTx: number;
  statements: StatementRow[];
}

async function profile(
  sql: Sql,
  run: () => Promise<{ ops: number; perSecond: number; p50ms: number; p99ms: number }>,
) {
  await sql`SELECT pg_stat_statements_reset()`;
  const r = await run();
  const rows = await sql`
    SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, toplevel, calls::float8 AS calls,
           total_exec_time AS ms, wal_bytes::float8 AS wal, wal_fpi::float8 AS fpi
      FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND calls >= ${Math.floor(r.ops / 2)}
     ORDER BY total_exec_time DESC`;
  const statements = rows.map(
    (s): StatementRow => ({
      statement: String(s.query).slice(0, 110),
      toplevel: Boolean(s.toplevel),
      callsPerTx: Number(s.calls) / r.ops,
      usPerTx: (Number(s.ms) * 1000) / r.ops,
      walBytesPerTx: Number(s.wal) / r.ops,
      fullPageImagesPerTx: Number(s.fpi) / r.ops,
    }),
  );
  const sum = (top: boolean, f: (s: StatementRow) => number) =>
    statements.filter((s) => s.toplevel === top).reduce((a, s) => a + f(s), 0);
  return {
    ...r,
    topLevelUsPerTx: sum(true, (s) => s.usPerTx),
    nestedUsPerTx: sum(false, (s) => s.usPerTx),
    walBytesPerTx: sum(true, (s) => s.walBytesPerTx),
    statements,
  };
}

async function main() {
  const startedAt = Date.now();
  const loadStart = loadavg();
  const dataDir = await mkdtemp(join(tmpdir(), 'credits-statements-'));
  const port = 40000 + (process.pid % 20000);
  log(`Private PostgreSQL on port ${port} with pg_stat_statements (track = all)…`);
  const pg = await startEmbeddedPostgres({
    dataDir,
    port,
    database: 'postgres',
    postgresFlags: [
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'pg_stat_statements.track=all',
      '-c',
      'pg_stat_statements.max=2000',
    ],
  });
  const profiles: CaseProfile[] = [];
  try {
    const admin = pg.superuserUrl;
    const ledgerUrl = await freshDatabase(admin, 'credits_statements', true);
    const pgbenchUrl = await freshDatabase(admin, 'credits_statements_pgbench', false);
    const ledgerSql = connect(ledgerUrl, { max: 2 });
    const pgbenchSql = connect(pgbenchUrl, { max: 1 });
    try {
      for (const s of [ledgerSql, pgbenchSql]) await s`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
      const t0 = performance.now();
      await seedLedger(ledgerSql, { workspaces: WORKSPACES, entries: ENTRIES, prefix: 'b' });
      await ledgerSql`VACUUM ANALYZE`;
      await pgbenchInit(pgbenchUrl, 32);
      log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const catalog = ledgerCatalog(loadCatalog(defaultCatalogPath()));
      const seeded = {
        workspaces: WORKSPACES,
        prefix: 'b',
        width: 5,
        hash: prepareDebit(catalog, { amount: 1, idempotencyKey: 'k' }).hash,
        thresholds: alertDefaultsOf(catalog),
      };
      const script = debitScript({ ...seeded, shape: { kind: 'uniform' } });
      const batchScript = debitBatchScript({ ...seeded, perCall: PER_CALL });
      for (const clients of CLIENTS) {
        const cases: [string, Sql, () => ReturnType<typeof pgbench>, number][] = [
          ['pgbench tpcb-like', pgbenchSql, () => pgbench({ url: pgbenchUrl, clients, seconds: SECONDS }), 1],
          [
            'pgbench debit, spread',
            ledgerSql,
            () => pgbench({ url: ledgerUrl, clients, seconds: SECONDS, script }),
            1,
          ],
          [
            `pgbench debit, spread, ${PER_CALL} workspaces per call`,
            ledgerSql,
            () => pgbench({ url: ledgerUrl, clients, seconds: SECONDS, script: batchScript }),
            PER_CALL,
          ],
        ];
        for (const [name, sql, run, perTransaction] of cases) {
          const p = await profile(sql, run);
          profiles.push({ case: name, clients, perTransaction, ...p });
          log(
            `\n— ${name}, ${clients} client(s): ${p.perSecond.toFixed(0)} transactions/s (${(p.perSecond * perTransaction).toFixed(0)} debits/s), p50 ${p.p50ms.toFixed(2)} ms`,
          );
          log(
            `  per transaction: ${p.topLevelUsPerTx.toFixed(0)} µs in top-level statements (${p.nestedUsPerTx.toFixed(0)} µs of it in nested ones), ${p.walBytesPerTx.toFixed(0)} bytes of WAL`,
          );
          log('      µs/tx  calls/tx  WAL B/tx   FPI/tx  statement');
          for (const s of p.statements) {
            log(
              `  ${s.usPerTx.toFixed(1).padStart(9)} ${s.callsPerTx.toFixed(2).padStart(9)} ${s.walBytesPerTx.toFixed(0).padStart(9)} ${s.fullPageImagesPerTx.toFixed(2).padStart(8)}  ${s.toplevel ? '' : '  '}${s.statement.slice(0, 80)}`,
            );
          }
        }
      }
    } finally {
      await ledgerSql.end({ timeout: 5 });
      await pgbenchSql.end({ timeout: 5 });
    }
  } finally {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const result = {
    when: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverage: { start: loadStart, end: loadavg() },
    },
    server: 'embedded PostgreSQL (the embedded-postgres package), pg_stat_statements.track = all',
    config: { seconds: SECONDS, clients: CLIENTS, workspaces: WORKSPACES, seededEntries: ENTRIES },
    profiles,
  };
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);
  log(`\nWrote ${OUT} (${result.durationSeconds} s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
