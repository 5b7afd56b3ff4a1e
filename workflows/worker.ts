import { fileURLToPath } from 'node:url';
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { LifecycleHooks } from '../application/lifecycle.js';
import type { Notifier } from '../application/notifications.js';
import type { CoreServices } from '../application/services.js';
import type { BalanceChange } from '../ledger/ledger.js';
import { type Activities, createActivities } from './activities.js';
import { AlertDispatcher } from './alerts/dispatcher.js';
import { connectClient, createLifecycleHooks, reconcileSubscriptions } from './client.js';
import { connectionOptions, type TemporalTarget } from './connection.js';
import { type ActivityDeps, type LifecycleTiming, lifecycleTiming } from './deps.js';
import { InvoicePaymentProvider, type PaymentProvider } from './purchase/payment.js';
import { TemporalPurchases } from './purchase/service.js';

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

export interface StartWorkerOptions {
  /** Where Temporal is; ignored when `connection` and `client` are given. */
  target?: TemporalTarget;
  connection?: NativeConnection;
  client?: Client;
  /** Default `credits` (the settings' TEMPORAL_TASK_QUEUE in every role). */
  taskQueue?: string;
  /** Who hears about alerts, reminders and purchases (Slack, Discord, webhook…). Default: log only. */
  notifiers?: Notifier[];
  /** Default: `InvoicePaymentProvider` (records an invoice). */
  payments?: PaymentProvider;
  /** Billing period, reminder lead time, cycles per run. Default: calendar months. */
  timing?: Partial<LifecycleTiming>;
  /** Approval window of purchases started through `purchases` (default 48 h). */
  approvalWindowMs?: number;
  /** Interval of the maintenance schedule (expiry of lots past their date, auto top-up sweep); null = none. Default 60 s. */
  maintenanceEveryMs?: number | null;
  /** When the weekly digest goes to linked channels (cron, UTC); null = no schedule. Default Mondays 09:00. */
  digestCron?: string | null;
  /** Run the alert outbox dispatcher in this process (default true). */
  dispatchAlerts?: boolean;
  alertPollMs?: number;
  /** Start the flows of active workspaces that have none (default false; `npm run worker` turns it on). */
  reconcile?: boolean;
  workflowBundle?: WorkflowBundle;
  /** Replace activities (tests simulate crashes with this). */
  activityOverrides?: Partial<Activities>;
  /** Passed to the Temporal Worker (concurrency limits, shutdownGraceTime…). */
  workerOptions?: Pick<
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
}

export interface RunningWorker {
  worker: Worker;
  client: Client;
  taskQueue: string;
  timing: LifecycleTiming;
  /** The purchase flows (the Purchases port) this worker's process starts and decides. */
  purchases: TemporalPurchases;
  /** For the API's workspace routes. */
  hooks: LifecycleHooks;
  dispatcher: AlertDispatcher | null;
  /** Wire into `LedgerOptions.onBalanceChange` of this process's ledger: wakes the alert dispatcher at once. */
  onBalanceChange(change: BalanceChange): void;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal worker in this process (`credits serve worker`, and in-process in `npm start`):
 * registers the workflows and activities on the task queue, runs the alert outbox dispatcher and
 * keeps the maintenance schedule in place.
 */
export async function startWorker(
  ctx: CoreServices,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const taskQueue = options.taskQueue ?? 'credits';
  const timing: LifecycleTiming = { ...lifecycleTiming(), ...options.timing };
  if (!options.connection && !options.target)
    throw new Error('startWorker: give a Temporal target or a connection');
  const ownConnection = options.connection
    ? null
    : await NativeConnection.connect(connectionOptions(options.target!));
  const connection = options.connection ?? ownConnection!;
  const namespace = options.target?.namespace ?? 'default';
  const client = options.client ?? (await connectClient(options.target!));
  const purchases = new TemporalPurchases({
    client,
    taskQueue,
    purchases: ctx.ledger.purchases,
    catalog: ctx.catalog,
    directory: ctx.directory,
    approvalWindowMs: options.approvalWindowMs,
    clock: () => ctx.ledger.now(),
  });
  const deps: ActivityDeps = {
    ledger: ctx.ledger,
    reports: ctx.reports,
    directory: ctx.directory,
    catalog: ctx.catalog,
    timing,
  };
  const activities = {
    ...createActivities(deps, {
      notifiers: options.notifiers ?? [],
      payments: options.payments ?? new InvoicePaymentProvider(ctx.ledger.invoices),
      purchases,
    }),
    ...options.activityOverrides,
  };
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    activities,
    ...workerTuning(options.workerOptions),
  });
  const done = worker.run();

  const dispatcher =
    options.dispatchAlerts === false
      ? null
      : new AlertDispatcher({
          outbox: ctx.ledger.alertOutbox,
          client,
          taskQueue,
          pollMs: options.alertPollMs,
        });
  dispatcher?.start();

  const maintenanceEveryMs = options.maintenanceEveryMs === undefined ? 60_000 : options.maintenanceEveryMs;
  if (maintenanceEveryMs) await ensureMaintenanceSchedule(client, taskQueue, maintenanceEveryMs);
  const digestCron = options.digestCron === undefined ? DEFAULT_DIGEST_CRON : options.digestCron;
  if (digestCron) await ensureDigestSchedule(client, taskQueue, digestCron);
  if (options.reconcile) await reconcileSubscriptions({ client, workspaces: ctx.directory, taskQueue });

  let stopping: Promise<void> | null = null;
  return {
    worker,
    client,
    taskQueue,
    timing,
    purchases,
    hooks: createLifecycleHooks({ client, taskQueue }),
    dispatcher,
    onBalanceChange(change) {
      if (change.transactionIds.length > 0 || (change as { alertEvents?: number }).alertEvents)
        dispatcher?.wake();
    },
    done,
    stop() {
      stopping ??= (async () => {
        await dispatcher?.stop();
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done.catch(() => {});
        await ownConnection?.close();
        if (!options.client) await client.connection.close();
      })();
      return stopping;
    },
  };
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
