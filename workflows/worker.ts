import { fileURLToPath } from 'node:url';
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import {
  bundleWorkflowCode,
  type NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { Activities } from './activities.js';

export const workflowsPath = fileURLToPath(new URL('./all-workflows.ts', import.meta.url));
export const MAINTENANCE_SCHEDULE_ID = 'credits-maintenance';
export const DIGEST_SCHEDULE_ID = 'credits-weekly-digest';
/** Mondays 09:00 UTC; DIGEST_CRON overrides it. */
export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

/**
 * How the worker polls and caches when thousands of flows wake at the same instant (every
 * subscription whose billing cycle ends together), measured with bench/lifecycle.ts:
 * - sticky tasks wait up to 5 minutes for this worker instead of the SDK's 10 s. A task that times
 *   out of the sticky queue costs the server a timeout and a second task, and reaches the worker
 *   with its full history on the normal queue, which only a fifth of the pollers serve (with 10 s,
 *   213 of 2,000 renewals were delivered sticky; with a minute all 2,000, and the dev server spent
 *   20 % less CPU). A burst of 10,000 takes the worker longer than a minute to drain: with a
 *   minute, 5,215 of the baseline's 10,000 tasks stayed sticky and it took 165 s (worker 140
 *   CPU-seconds); with 5 minutes all 10,000 did, in 148 s (117). A worker that shuts down
 *   releases its sticky queue at once; after a crash, the server stops routing new tasks to it
 *   when it stops polling, so the timeout bounds only the tasks already queued to a dead worker;
 * - 20 workflow task pollers (SDK: 10), four of them on the normal queue; `autoscaling` pollers
 *   left a burst's last 300 tasks unpolled for a minute in one run, so they are not the default;
 * - 100 workflow task slots: a task holds its slot while its local activity (a renewal's ledger
 *   writes) runs, so the SDK's 40 slots capped renewals at 40 per local-activity latency.
 * `workerOptions` overrides any of them.
 */
export function workerTuning(overrides: Partial<WorkerOptions> = {}): Partial<WorkerOptions> {
  return {
    maxConcurrentWorkflowTaskExecutions: 100,
    ...(overrides.maxConcurrentWorkflowTaskPolls === undefined
      ? { workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 20 } }
      : {}),
    stickyQueueScheduleToStartTimeout: '5 minutes',
    ...overrides,
  };
}

let bundle: Promise<WorkflowBundle> | null = null;

/** The workflow bundle, built once per process (bundling takes seconds; workers share it). */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string, meta?: unknown) => console.warn(m, meta ?? ''),
  error: (m: string, meta?: unknown) => console.error(m, meta ?? ''),
};

/** Worker options a role may set (concurrency limits, pollers, cache, shutdown grace). */
export type WorkerSettings = Pick<
  WorkerOptions,
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'shutdownGraceTime'
  | 'maxCachedWorkflows'
  | 'workflowTaskPollerBehavior'
  | 'activityTaskPollerBehavior'
  | 'maxConcurrentWorkflowTaskPolls'
  | 'maxConcurrentActivityTaskPolls'
  | 'nonStickyToStickyPollRatio'
  | 'stickyQueueScheduleToStartTimeout'
>;

export interface WorkerInput {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  /**
   * What the worker runs: every activity, built by the composition root from its dependencies
   * (createActivities with the ledger, the notifiers, the payment provider and the purchase flows).
   */
  activities: Activities;
  workflowBundle?: WorkflowBundle;
  workerOptions?: WorkerSettings;
}

/** Registers the workflows and the given activities on the task queue and runs them until shut down. */
export async function runWorker(input: WorkerInput): Promise<{ worker: Worker; done: Promise<void> }> {
  const worker = await Worker.create({
    connection: input.connection,
    namespace: input.namespace ?? 'default',
    taskQueue: input.taskQueue,
    workflowBundle: input.workflowBundle ?? (await bundleWorkflows()),
    activities: input.activities,
    ...workerTuning(input.workerOptions),
  });
  return { worker, done: worker.run() };
}

/** Creates (or re-times) the schedule that runs `maintenanceWorkflow` every `everyMs`. */
export async function ensureMaintenanceSchedule(
  client: Client,
  taskQueue: string,
  everyMs: number,
): Promise<void> {
  const spec = { intervals: [{ every: everyMs }] };
  try {
    await client.schedule.create({
      scheduleId: MAINTENANCE_SCHEDULE_ID,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'maintenanceWorkflow',
        taskQueue,
        args: [],
        workflowId: 'credits-maintenance-run',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(MAINTENANCE_SCHEDULE_ID).update((prev) => ({
      ...prev,
      spec,
      action: {
        ...prev.action,
        type: 'startWorkflow',
        workflowType: 'maintenanceWorkflow',
        taskQueue,
        args: [],
      },
    }));
  }
}

export const REVENUE_SCHEDULE_ID = 'credits-revenue-report';
/** 02:00 UTC on the first of each month: the month before is closed by then. */
export const DEFAULT_REVENUE_CRON = '0 2 1 * *';

/** Creates (or updates) the schedule that posts last month's revenue CSV to the operator's webhook. */
export async function ensureRevenueSchedule(client: Client, taskQueue: string, cron: string): Promise<void> {
  const spec = { cronExpressions: [cron] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'monthlyRevenueWorkflow',
    taskQueue,
    args: [],
    workflowId: 'credits-revenue-report-run',
  };
  try {
    await client.schedule.create({
      scheduleId: REVENUE_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(REVENUE_SCHEDULE_ID).update((prev) => ({ ...prev, spec, action }));
  }
}

/** Creates (or updates) the schedule that posts the weekly digest to every linked channel. */
export async function ensureDigestSchedule(client: Client, taskQueue: string, cron: string): Promise<void> {
  const spec = { cronExpressions: [cron] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'weeklyDigestWorkflow',
    taskQueue,
    args: [],
    workflowId: 'credits-weekly-digest-run',
  };
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DIGEST_SCHEDULE_ID).update((prev) => ({ ...prev, spec, action }));
  }
}

/** gRPC codes of a server that is busy or restarting, not of a wrong request. */
const TRANSIENT_CODES = new Set([
  4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 9, 14 /* UNAVAILABLE */,
]);

function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  // 9 FAILED_PRECONDITION: "Unable to query workflow due to Workflow Task in failed state", what a
  // schedule's describe answers while the server's scheduler is behind (seen with 1,000 renewals
  // in flight); it clears when the scheduler catches up.
  return typeof code === 'number' && TRANSIENT_CODES.has(code);
}

/**
 * Runs `ensure` (create or update a schedule) once now; when the server is busy, goes on in the
 * background with backoff instead of failing the worker's start: a worker restarted after a crash
 * in the middle of a burst must serve its queue, and the schedule already exists from an earlier
 * start. A non-transient error still fails the start.
 */
export async function ensureOrRetryInBackground(
  what: string,
  ensure: () => Promise<void>,
  signal: AbortSignal,
  warn: (line: string) => void = (line) => console.warn(line),
): Promise<void> {
  try {
    return await ensure();
  } catch (err) {
    if (!isTransient(err)) throw err;
    warn(`${what}: Temporal is busy (${(err as Error).message}); retrying in the background`);
  }
  void (async () => {
    for (let delayMs = 1_000; !signal.aborted; delayMs = Math.min(delayMs * 2, 30_000)) {
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      if (signal.aborted) return;
      try {
        await ensure();
        warn(`${what}: done after retrying`);
        return;
      } catch (err) {
        if (!isTransient(err)) return warn(`${what}: gave up: ${(err as Error).message}`);
      }
    }
  })();
}
