/**
 * pgbench in the ledger bench: the built-in tpcb-like transaction (the machine's own limit) and a
 * custom script that calls our own debit function (the server-side ceiling of a debit, with no
 * Node process in the way), closed loop or at a target rate, with p50/p99 from the
 * per-transaction log.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadResult, percentile, run, summarise } from './support.js';
import type { Shape } from './zipf.js';

export interface PgbenchResult extends LoadResult {
  /** Only with a rate: not sent because they were already lateLimitMs behind schedule. */
  skipped?: number;
  /** Only with a rate: completed more than lateLimitMs after the scheduled start. */
  late?: number;
  targetRate?: number;
  serviceP50ms?: number;
  serviceP99ms?: number;
}

export interface PgbenchRun {
  url: string;
  clients: number;
  seconds: number;
  /** A custom script's text; the built-in tpcb-like when absent. */
  script?: string;
  /** Open loop: pgbench's `--rate`, with `--latency-limit`. */
  rate?: number;
  lateLimitMs?: number;
}

/**
 * pgbench's random_zipfian accepts a parameter in [1.001, 1000] only (Devroye's algorithm), so
 * s = 1 runs as 1.001 there; the TS sampler uses s itself. The two differ by well under 1 % in
 * any rank's probability over 10,000 ranks.
 */
export function pgbenchZipfParameter(s: number): number {
  return Math.min(1000, Math.max(1.001, s));
}

export interface DebitScriptOptions {
  shape: Shape;
  /** How many workspaces were seeded, and how their ids are spelt (`b` + 5 digits: b00042). */
  workspaces: number;
  prefix: string;
  width: number;
  /** The request fingerprint the ledger stores for `{ amount: 1 }` (prepareDebit's hash). */
  hash: string;
  thresholds: { low: number; critical: number };
}

/**
 * One debit of 1 credit per transaction through `credits_debit_multi`, the function the ledger
 * calls (migration 014), with a one-workspace batch as runDebitBatch builds it for a lone debit
 * and a key unique to the transaction (its xid). The workspace
 * number is drawn in pgbench and spelt like the seeded ids, rank 1 → `b00000`, as zipf.ts does.
 */
export function debitScript(o: DebitScriptOptions): string {
  if (String(o.workspaces - 1).length > o.width)
    throw new Error(`${o.workspaces} workspaces need more than ${o.width} digits`);
  const draw =
    o.shape.kind === 'hot'
      ? '\\set r 1'
      : o.shape.kind === 'uniform'
        ? `\\set r random(1, ${o.workspaces})`
        : `\\set r random_zipfian(1, ${o.workspaces}, ${pgbenchZipfParameter(o.shape.s)})`;
  return [
    draw,
    '\\set w :r - 1',
    'SELECT credits_debit_multi(now(),',
    `  jsonb_build_array(jsonb_build_object('ws', '${o.prefix}' || lpad(:w::text, ${o.width}, '0'),`,
    `    'items', jsonb_build_array(${debitItem(o, `'pgbench-' || pg_current_xact_id()::text`)}))),`,
    `  ${alertDefaults(o)});`,
    '',
  ].join('\n');
}

// No JSON literals: pgbench reads every `:word` in a query (`"amount":1`) as a variable.
const debitItem = (o: { hash: string }, keyExpr: string) =>
  `jsonb_build_object('key', ${keyExpr}, 'hash', '${o.hash}', 'amount', 1, 'operation', NULL, ` +
  `'quantity', NULL, 'actor', NULL, 'source', 'api', 'metadata', '{}'::jsonb)`;

const alertDefaults = (o: { thresholds: { low: number; critical: number } }) =>
  `jsonb_build_object('low', ${o.thresholds.low}, 'critical', ${o.thresholds.critical})`;

/**
 * One call of `credits_debit_multi` carrying `perCall` debits of 1 credit, each in its own
 * workspace, as the batcher sends them under load: workspace numbers base + k·(workspaces /
 * perCall), so they are spread uniformly and never the same twice in a call (the function
 * refuses a workspace twice).
 */
export function debitBatchScript(o: Omit<DebitScriptOptions, 'shape'> & { perCall: number }): string {
  const stride = Math.floor(o.workspaces / o.perCall);
  if (stride < 1) throw new Error(`${o.perCall} debits per call need at least as many workspaces`);
  const batches = Array.from(
    { length: o.perCall },
    (_, k) =>
      `jsonb_build_object('ws', '${o.prefix}' || lpad(((:r + ${k * stride}) % ${o.workspaces})::text, ${o.width}, '0'), ` +
      `'items', jsonb_build_array(${debitItem(o, `'pgbench-' || pg_current_xact_id()::text || '-${k}'`)}))`,
  );
  return [
    `\\set r random(0, ${o.workspaces - 1})`,
    `SELECT credits_debit_multi(now(), jsonb_build_array(${batches.join(',\n  ')}),`,
    `  ${alertDefaults(o)});`,
    '',
  ].join('\n');
}

export async function pgbenchInit(url: string, scale: number): Promise<void> {
  await run('pgbench', ['-i', '-q', '-s', String(scale), url], { maxBuffer: 1 << 24 });
}

export async function pgbench(r: PgbenchRun): Promise<PgbenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'credits-pgbench-'));
  try {
    const args = [
      '-c',
      String(r.clients),
      '-j',
      String(Math.min(r.clients, cpus().length)),
      '-T',
      String(r.seconds),
      '-M',
      'prepared',
      '-l',
      `--log-prefix=${join(dir, 'tx')}`,
    ];
    if (r.script !== undefined) {
      await writeFile(join(dir, 'script.sql'), r.script);
      // -n: the custom script runs on the ledger's database, which has no pgbench tables to vacuum.
      args.push('-n', '-f', join(dir, 'script.sql'));
    }
    if (r.rate !== undefined) {
      args.push('-R', String(r.rate), `--latency-limit=${r.lateLimitMs ?? 50}`);
    }
    const stdout = await runPgbench([...args, r.url], dir);
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    if (!m) throw new Error(`cannot read pgbench output:\n${stdout}`);
    const log = await readTransactionLog(dir);
    const result = summarise(log.latencies, r.seconds, log.failed);
    const out: PgbenchResult = { ...result, perSecond: Number(m[1]) };
    if (r.rate !== undefined) {
      log.service.sort((a, b) => a - b);
      Object.assign(out, {
        targetRate: r.rate,
        skipped: log.skipped,
        late: log.latencies.filter((l) => l > (r.lateLimitMs ?? 50)).length,
        serviceP50ms: percentile(log.service, 50),
        serviceP99ms: percentile(log.service, 99),
      });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * max_connections is shared with whatever else runs on the server: a run that could not connect
 * is tried again (its partial logs dropped) rather than losing the whole bench.
 */
async function runPgbench(args: string[], dir: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await run('pgbench', args, { maxBuffer: 1 << 22 })).stdout;
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '');
      if (attempt >= 3 || !stderr.includes('too many clients')) {
        throw new Error(`pgbench ${args.join(' ')} failed:\n${stderr.slice(0, 2000)}`);
      }
      for (const name of await readdir(dir)) if (name.startsWith('tx.')) await rm(join(dir, name));
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

/**
 * Every worker thread's per-transaction log (`tx.<pid>`, `tx.<pid>.<n>`): latency in µs (from the
 * scheduled start under --rate), or `skipped`/`failed`; with --rate a 7th field, the schedule lag.
 */
async function readTransactionLog(dir: string) {
  const latencies: number[] = [];
  const service: number[] = [];
  let skipped = 0;
  let failed = 0;
  for (const name of await readdir(dir)) {
    if (!name.startsWith('tx.')) continue;
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      if (!line) continue;
      const f = line.split(' ');
      if (f[2] === 'skipped') skipped++;
      else if (!/^\d+$/.test(f[2] ?? '')) failed++;
      else {
        const us = Number(f[2]);
        latencies.push(us / 1000);
        if (f[6] !== undefined) service.push((us - Number(f[6])) / 1000);
      }
    }
  }
  return { latencies, service, skipped, failed };
}
