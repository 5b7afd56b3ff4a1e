/**
 * The baseline phase of bench/lifecycle.ts: the dev server's (and the SDK's) own throughput for the
 * renewal's shape. N timerBenchWorkflow runs sleep until one common instant, then each runs one
 * trivial local activity and sleeps again, on the same server with the same worker options.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { workerTuning } from '../workflows/worker.js';
import { cpuMeter, round, scrape, serverTimeline, waitForAll, workerMetrics } from './lifecycle-metrics.js';
import type { timerBenchWorkflow } from './timer-workflow.js';

const workflowsPath = fileURLToPath(new URL('./timer-workflow.ts', import.meta.url));

export async function runTimerBaseline(options: {
  n: number;
  connection: NativeConnection;
  client: Client;
  workerOptions: Partial<WorkerOptions>;
  metricsUrl: string;
  /** The dev server's own metrics (a time line of the phase). */
  serverMetricsUrl?: string;
  serverPid: number | undefined;
  startConcurrency: number;
  /** Seconds from the first start to the common instant: all N must be asleep by then. */
  leadSeconds: number;
}) {
  const { n, client } = options;
  let ticks = 0;
  const taskQueue = 'bench-timer-baseline';
  const worker = await Worker.create({
    connection: options.connection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
    activities: {
      async timerBenchTick() {
        ticks++;
      },
    },
    ...workerTuning(options.workerOptions),
  });
  const running = worker.run();
  try {
    const t0 = Date.now();
    const fireAt = t0 + options.leadSeconds * 1000;
    const before = await scrape(options.metricsUrl);
    let next = 0;
    const startMore = async () => {
      while (next < n) {
        const i = next++;
        await client.workflow.start<typeof timerBenchWorkflow>('timerBenchWorkflow', {
          workflowId: `timer-bench-${t0}-${i}`,
          taskQueue,
          // Then asleep for a day: like a renewed subscription, it waits for its next cycle.
          args: [String(i), fireAt, 24 * 3600_000],
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.startConcurrency, n) }, startMore));
    const startSeconds = round((Date.now() - t0) / 1000);
    // Asleep = its first workflow task (which starts the timer) has completed.
    const firstTasks = async () =>
      (await scrape(options.metricsUrl)).get('temporal_workflow_task_execution_latency_count') ?? 0;
    const base = before.get('temporal_workflow_task_execution_latency_count') ?? 0;
    while ((await firstTasks()) - base < n) {
      if (Date.now() >= fireAt)
        throw new Error(
          `baseline: ${(await firstTasks()) - base}/${n} workflows asleep after ${options.leadSeconds} s (all started in ${startSeconds} s): set BENCH_BASELINE_LEAD_SECONDS higher`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
    const asleepSeconds = round((Date.now() - t0) / 1000);
    console.log(
      `baseline: ${n} timer workflows asleep after ${asleepSeconds} s; they wake in ${round((fireAt - Date.now()) / 1000)} s`,
    );
    while (Date.now() < fireAt) await new Promise((r) => setTimeout(r, 100));
    const metricsBefore = await scrape(options.metricsUrl);
    const cpu = cpuMeter(options.serverPid);
    const timeline = options.serverMetricsUrl ? serverTimeline(options.serverMetricsUrl, fireAt) : null;
    const run = await waitForAll(n, fireAt, () => ticks, 'baseline');
    const spent = cpu();
    const server = await timeline?.();
    const metrics = workerMetrics(metricsBefore, await scrape(options.metricsUrl));
    if (run.done !== n) throw new Error(`baseline: only ${run.done}/${n} local activities ran`);
    return {
      workflow:
        'bench/timer-workflow.ts: sleep to a common instant, one trivial local activity, then sleep again (as a renewed subscription waits for its next cycle)',
      startSeconds,
      asleepSeconds,
      leadSeconds: options.leadSeconds,
      seconds: run.seconds,
      perSecond: run.perSecond,
      ...spent,
      workerMetrics: metrics,
      server,
      progress: run.progress,
    };
  } finally {
    worker.shutdown();
    await running.catch(() => {});
  }
}

const quiet = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
