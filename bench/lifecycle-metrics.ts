/** What bench/lifecycle.ts measures around a phase: the worker's Prometheus metrics and CPU seconds. */
import { loadavg } from 'node:os';
import { machineCpuSeconds, postgresCpuSeconds, processCpuSeconds } from './cpu-meter.js';

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Every temporal_* sample of the worker's metrics (Prometheus text), summed by name (and operation). */
export async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(temporal_[a-z_]+)(?:\{([^}]*)\})? ([0-9.e+-]+)$/.exec(line);
    if (!m || m[1]!.endsWith('_bucket')) continue;
    const op = /operation="([^"]+)"/.exec(m[2] ?? '')?.[1];
    const key = op ? `${m[1]}{${op}}` : m[1]!;
    out.set(key, (out.get(key) ?? 0) + Number(m[3]));
  }
  return out;
}

function latency(before: Map<string, number>, after: Map<string, number>, metric: string) {
  const d = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  const count = d(`temporal_${metric}_count`);
  return { count, meanMs: count ? round(d(`temporal_${metric}_sum`) / count) : null };
}

const LATENCIES = {
  workflowTaskScheduleToStart: 'workflow_task_schedule_to_start_latency',
  workflowTaskExecution: 'workflow_task_execution_latency',
  workflowTaskReplay: 'workflow_task_replay_latency',
  workflowTaskEndToEnd: 'workflow_endtoend_latency',
  localActivityExecution: 'local_activity_execution_latency',
  localActivityTotal: 'local_activity_total_execution_latency',
  activityScheduleToStart: 'activity_schedule_to_start_latency',
  respondWorkflowTaskCompleted: 'request_latency{RespondWorkflowTaskCompleted}',
  pollWorkflowTask: 'long_request_latency{PollWorkflowTaskQueue}',
};

const COUNTERS = {
  stickyCacheHits: 'temporal_sticky_cache_hit',
  stickyCacheMisses: 'temporal_sticky_cache_miss',
  stickyCacheForcedEvictions: 'temporal_sticky_cache_total_forced_eviction',
  workflowTaskFailed: 'temporal_workflow_task_execution_failed',
  workflowTaskPollsEmpty: 'temporal_workflow_task_queue_poll_empty',
  workflowTaskPollsSucceeded: 'temporal_workflow_task_queue_poll_succeed',
  workflowCompleted: 'temporal_workflow_completed',
  workflowContinuedAsNew: 'temporal_workflow_continue_as_new',
};

/** The worker metrics that say where a phase's time went (latency means; counter deltas). */
export function workerMetrics(before: Map<string, number>, after: Map<string, number>) {
  const out: Record<string, unknown> = {};
  for (const [name, metric] of Object.entries(LATENCIES)) out[name] = latency(before, after, metric);
  for (const [name, metric] of Object.entries(COUNTERS))
    out[name] = (after.get(metric) ?? 0) - (before.get(metric) ?? 0);
  out.stickyCacheSizeAfter = after.get('temporal_sticky_cache_size') ?? null;
  return out;
}

/** CPU seconds of this (worker) process, the dev server, PostgreSQL and the whole machine from now to `stop()`. */
export function cpuMeter(serverPid: number | undefined) {
  const worker = process.cpuUsage();
  const server = processCpuSeconds(serverPid);
  const postgres = postgresCpuSeconds();
  const machine = machineCpuSeconds();
  const load = loadavg().map(round);
  return () => {
    const w = process.cpuUsage(worker);
    const m = machineCpuSeconds();
    return {
      cpuSeconds: {
        workerProcess: round((w.user + w.system) / 1e6),
        temporalDevServer: round(processCpuSeconds(serverPid) - server),
        postgres: round(postgresCpuSeconds() - postgres),
        // Not idle: what the machine's processes used, and what the hypervisor took.
        wholeMachineBusy: round(m.busy + m.steal - machine.busy - machine.steal),
        wholeMachineAvailable: round(m.all - machine.all),
      },
      loadAverageBefore: load,
      loadAverageAfter: loadavg().map(round),
    };
  };
}

/** Polls `done()` every second until it reaches `n` (or 15 minutes pass): seconds from `since`, progress. */
export async function waitForAll(
  n: number,
  since: number,
  done: () => Promise<number> | number,
  label: string,
) {
  const progress: { seconds: number; done: number }[] = [];
  let count = 0;
  while (count < n) {
    await new Promise((r) => setTimeout(r, 1000));
    count = await done();
    progress.push({ seconds: round((Date.now() - since) / 1000), done: count });
    if (progress.length % 10 === 0)
      console.log(`  ${label}: ${count}/${n} after ${progress.at(-1)!.seconds} s`);
    if (Date.now() - since > 15 * 60_000) break;
  }
  const seconds = (Date.now() - since) / 1000;
  return {
    done: count,
    seconds: round(seconds),
    perSecond: round(count / seconds),
    progress: progress.filter((_, i) => i % 5 === 4 || i === progress.length - 1),
  };
}

/**
 * The dev server's own counters (its `--metrics-port`), summed by name and operation: what the
 * server did (timers fired, tasks dispatched, workflow tasks started and completed, SQLite calls)
 * and how long a persistence call took, so a phase's time line shows which stage holds it up.
 */
const SERVER_COUNTERS = new Set([
  'persistence_requests',
  'persistence_latency_sum',
  'persistence_latency_count',
  'service_requests',
  'task_requests',
  'poll_success',
  'poll_success_sync',
  'poll_timeouts',
  'sticky_task_queue_unavailable', // not every version names it
]);

export async function scrapeServer(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.e+-]+)$/.exec(line);
    if (!m || !SERVER_COUNTERS.has(m[1]!)) continue;
    const op = /operation="([^"]+)"/.exec(m[2] ?? '')?.[1];
    for (const key of [m[1]!, ...(op ? [`${m[1]}{${op}}`] : [])])
      out.set(key, (out.get(key) ?? 0) + Number(m[3]));
  }
  return out;
}

/** The server's time line, per interval: the chosen counters' increase and the mean SQLite call. */
export function serverTimeline(url: string, since: number, everyMs = 5000) {
  const samples: { seconds: number; values: Map<string, number> }[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        samples.push({ seconds: round((Date.now() - since) / 1000), values: await scrapeServer(url) });
      } catch {
        // a missed sample is a gap, not a failure
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  const WATCH: Record<string, string> = {
    timersFired: 'task_requests{TimerActiveTaskUserTimer}',
    workflowTaskTimeouts: 'task_requests{TimerActiveTaskWorkflowTaskTimeout}',
    workflowTasksDispatched: 'task_requests{TransferActiveTaskWorkflowTask}',
    workflowTasksStarted: 'service_requests{RecordWorkflowTaskStarted}',
    workflowTasksCompleted: 'service_requests{RespondWorkflowTaskCompleted}',
    visibilityTasks: 'task_requests',
    sqliteCalls: 'persistence_requests',
    clusterMetadataReads: 'persistence_requests{GetCurrentClusterMetadata}',
    matchingTaskWrites: 'persistence_requests{CreateTasks}',
    pollsSync: 'poll_success_sync',
    polls: 'poll_success',
  };
  return async () => {
    stopped = true;
    await loop;
    const rows: Record<string, number | null>[] = [];
    for (let i = 1; i < samples.length; i++) {
      const a = samples[i - 1]!.values;
      const b = samples[i]!.values;
      const d = (k: string) => (b.get(k) ?? 0) - (a.get(k) ?? 0);
      const row: Record<string, number | null> = { seconds: samples[i]!.seconds };
      for (const [name, key] of Object.entries(WATCH)) if (name !== 'visibilityTasks') row[name] = d(key);
      const calls = d('persistence_latency_count');
      row.sqliteMeanMs = calls ? round(d('persistence_latency_sum') / calls) : null;
      rows.push(row);
    }
    const first = samples[0]?.values;
    const last = samples.at(-1)?.values;
    const totals: Record<string, number> = {};
    if (first && last)
      for (const [k, v] of last) {
        const dv = v - (first.get(k) ?? 0);
        if (dv > 0 && !k.startsWith('persistence_latency')) totals[k] = dv;
      }
    return { everySeconds: everyMs / 1000, timeline: rows, totals };
  };
}
