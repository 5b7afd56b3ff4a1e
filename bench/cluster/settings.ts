/** The e2e:cluster run's knobs (CLUSTER_* environment variables) and its small helpers. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Replica } from './credits.js';
import type { TemporalServer } from './temporal-server.js';

const env = process.env;
const int = (name: string, fallback: number) => Number(env[name] ?? fallback);
export const N_SUBS = int('CLUSTER_SUBSCRIPTIONS', 1000);
export const N_DEBITS = int('CLUSTER_DEBITS', 2000);
export const N_PURCHASES = int('CLUSTER_PURCHASES', 50);
/**
 * Longer than the worker's sticky queue timeout (a minute, workflows/worker.ts) plus recovery:
 * tasks already queued to the killed worker wait that long before another worker gets them, and a
 * renewal that lands after the next boundary grants the current cycle and skips the missed one
 * (harmless with monthly cycles, a lost cycle with a 2-minute test period).
 */
export const PERIOD_S = int('CLUSTER_PERIOD_SECONDS', 420);
export const SHARDS = int('CLUSTER_HISTORY_SHARDS', 512);
export const CLEAN_CYCLE = env.CLUSTER_CLEAN_CYCLE !== '0';
export const COMPARE_DEV = CLEAN_CYCLE && env.CLUSTER_COMPARE_DEV !== '0';
export const RESULTS = env.CLUSTER_RESULTS ?? 'bench/results/cluster.json';
export const NAMESPACE = 'default';
export const SUB = 'cl-r-';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (x: number) => Math.round(x * 100) / 100;
export const log = (line: string) =>
  console.log(`[cluster ${new Date().toISOString().slice(11, 19)}] ${line}`);

export async function until(
  what: string | (() => string),
  timeoutMs: number,
  ok: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastLog = Date.now();
  while (!(await ok())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      log(`still waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await sleep(500);
  }
}

/** On failure: every process's output, kept in a folder of its own for the post-mortem. */
export function keepLogs(replicas: Replica[], temporal: TemporalServer | undefined): string {
  const dir = join(tmpdir(), `credits-cluster-logs-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  for (const r of replicas) writeFileSync(join(dir, `${r.name}.log`), r.service?.output ?? '');
  writeFileSync(join(dir, 'temporal-server.log'), temporal?.output ?? '');
  log(`process output kept in ${dir}`);
  return dir;
}
