/**
 * Open-loop load: requests start on a Poisson schedule at a target rate whatever the completions
 * do, as pgbench's `--rate` does, and latency runs from the scheduled start, so a slow server
 * shows as queueing rather than as a politely slower client. At most `maxInFlight` requests are
 * outstanding (pgbench's `-c`); a request that cannot start within `lateLimitMs` of its schedule
 * is not sent and counts as missed (pgbench's `--latency-limit` "skipped").
 *
 * One difference from pgbench: pgbench gives each client its own schedule at rate/clients, here
 * the schedule is shared and any free slot takes the next request, which is the kinder queue;
 * the counts of missed requests mean the same in both.
 */
import { type LoadResult, percentile, summarise } from './support.js';
import { seededRandom } from './zipf.js';

export interface OpenLoopOptions {
  /** Requests per second. */
  rate: number;
  /** How long the schedule runs. */
  ms: number;
  maxInFlight: number;
  lateLimitMs: number;
  seed: number;
}

export interface OpenLoopResult extends LoadResult {
  targetRate: number;
  scheduled: number;
  /** Not sent: could not start within lateLimitMs of the schedule. */
  missed: number;
  /** Sent and completed, but more than lateLimitMs after the scheduled start. */
  late: number;
  /** Latency from the actual send (the schedule lag left out), for comparison with p50/p99. */
  serviceP50ms: number;
  serviceP99ms: number;
}

/** Start offsets (ms, ascending) of a Poisson process at `rate` per second over `ms`. */
export function poissonSchedule(rate: number, ms: number, random: () => number): number[] {
  if (!(rate > 0)) throw new Error(`open loop needs a rate > 0, got ${rate}`);
  const out: number[] = [];
  for (
    let t = (-Math.log(1 - random()) / rate) * 1000;
    t < ms;
    t += (-Math.log(1 - random()) / rate) * 1000
  ) {
    out.push(t);
  }
  return out;
}

export async function openLoop(
  opts: OpenLoopOptions,
  op: (i: number) => Promise<unknown>,
): Promise<OpenLoopResult> {
  const schedule = poissonSchedule(opts.rate, opts.ms, seededRandom(opts.seed));
  const latencies: number[] = [];
  const service: number[] = [];
  let missed = 0;
  let late = 0;
  let errors = 0;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let settled: (() => void) | null = null;

  const launch = (scheduledAt: number, i: number) => {
    inFlight++;
    const sent = performance.now();
    op(i)
      .then(
        () => {
          const done = performance.now();
          latencies.push(done - scheduledAt);
          service.push(done - sent);
          if (done - scheduledAt > opts.lateLimitMs) late++;
        },
        (err) => {
          errors++;
          if (errors === 1) console.error('first error:', err);
        },
      )
      .finally(() => {
        inFlight--;
        wake?.();
        if (inFlight === 0) settled?.();
      });
  };

  const t0 = performance.now();
  let next = 0;
  while (next < schedule.length) {
    const now = performance.now();
    while (next < schedule.length && t0 + schedule[next]! <= now) {
      const at = t0 + schedule[next]!;
      if (now - at > opts.lateLimitMs) {
        missed++;
        next++;
      } else if (inFlight < opts.maxInFlight) {
        launch(at, next);
        next++;
      } else {
        break;
      }
    }
    if (next >= schedule.length) break;
    const dueIn = t0 + schedule[next]! - performance.now();
    const slotFree = inFlight < opts.maxInFlight;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      wake = resolve;
      // A full house waits for a completion; otherwise for the next start (or a completion).
      if (slotFree) timer = setTimeout(resolve, Math.max(0, dueIn));
    });
    clearTimeout(timer);
    wake = null;
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (settled = resolve));
  const result = summarise(latencies, (performance.now() - t0) / 1000, errors);
  service.sort((a, b) => a - b);
  return {
    ...result,
    targetRate: opts.rate,
    scheduled: schedule.length,
    missed,
    late,
    serviceP50ms: percentile(service, 50),
    serviceP99ms: percentile(service, 99),
  };
}
