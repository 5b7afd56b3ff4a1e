import { createServer } from 'node:http';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import type { LifecycleHooks } from '../../application/lifecycle.js';
import type { Notifier } from '../../application/notifications.js';
import type { CoreServices } from '../../application/services.js';
import { WebhookNotifier } from '../../integrations/webhook/sender.js';
import type { BalanceChange } from '../../ledger/ledger.js';
import { type Activities, createActivities } from '../../workflows/activities.js';
import { AlertDispatcher } from '../../workflows/alerts/dispatcher.js';
import { connectClient, createLifecycleHooks, reconcileSubscriptions } from '../../workflows/client.js';
import { connectionOptions, type TemporalTarget } from '../../workflows/connection.js';
import { type LifecycleTiming, lifecycleTiming } from '../../workflows/deps.js';
import { LogNotifier } from '../../workflows/notify/activities.js';
import { InvoicePaymentProvider, type PaymentProvider } from '../../workflows/purchase/payment.js';
import type { TemporalPurchases } from '../../workflows/purchase/service.js';
import { TemporalRefundFlows } from '../../workflows/refund/service.js';
import type { RevenueWebhook } from '../../workflows/revenue/activities.js';
import {
  DEFAULT_DIGEST_CRON,
  DEFAULT_REVENUE_CRON,
  ensureDigestSchedule,
  ensureMaintenanceSchedule,
  ensureOrRetryInBackground,
  ensureRevenueSchedule,
  runWorker,
  type WorkerSettings,
} from '../../workflows/worker.js';
import type { Config } from '../config.js';
import { type AppContext, type BalanceChanges, timingOf } from '../context.js';
import { type LocalTemporal, localTemporal } from '../local-temporal.js';
import type { StopStack } from '../stop-stack.js';
import { closeServer, listen } from './http.js';
import { temporalPurchases } from './temporal-client.js';

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
  /** The operator's webhook for the monthly revenue CSV (schedule `credits-revenue-report`); none: no schedule. */
  revenueWebhook?: RevenueWebhook;
  /** Run the alert outbox dispatcher in this process (default true). */
  dispatchAlerts?: boolean;
  alertPollMs?: number;
  /** Start the flows of active workspaces that have none (default false; `serve worker` turns it on). */
  reconcile?: boolean;
  workflowBundle?: WorkflowBundle;
  /** Replace activities (tests simulate crashes with this). */
  activityOverrides?: Partial<Activities>;
  /** Passed to the Temporal Worker (concurrency limits, shutdownGraceTime…). */
  workerOptions?: WorkerSettings;
}

export interface RunningWorker {
  worker: Worker;
  client: Client;
  taskQueue: string;
  timing: LifecycleTiming;
  /** The purchase flows (the Purchases port) this worker's process starts and decides. */
  purchases: TemporalPurchases;
  /** Starts refund flows (the RefundFlows port) at once. */
  refundFlows: TemporalRefundFlows;
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
 * Composes and starts a Temporal worker (`serve worker`, in-process in `npm start`, the tests): the
 * purchase flows, the payment provider and the activities are built here, once, and handed to the
 * worker (workflows/worker.ts runs what it is given); then the alert outbox dispatcher and the
 * maintenance and digest schedules.
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
  const client = options.client ?? (await connectClient(options.target!));
  const purchases = temporalPurchases(ctx, { client, taskQueue, approvalWindowMs: options.approvalWindowMs });
  const activities: Activities = {
    ...createActivities(
      { ledger: ctx.ledger, reports: ctx.reports, directory: ctx.directory, catalog: ctx.catalog, timing },
      {
        notifiers: options.notifiers ?? [],
        payments: options.payments ?? new InvoicePaymentProvider(ctx.ledger.invoices),
        purchases,
        revenueWebhook: options.revenueWebhook,
      },
    ),
    ...options.activityOverrides,
  };
  const { worker, done } = await runWorker({
    connection,
    namespace: options.target?.namespace,
    taskQueue,
    activities,
    workflowBundle: options.workflowBundle,
    workerOptions: options.workerOptions,
  });

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
  const schedulesRetry = new AbortController();
  if (maintenanceEveryMs)
    await ensureOrRetryInBackground(
      'maintenance schedule',
      () => ensureMaintenanceSchedule(client, taskQueue, maintenanceEveryMs),
      schedulesRetry.signal,
    );
  const digestCron = options.digestCron === undefined ? DEFAULT_DIGEST_CRON : options.digestCron;
  if (digestCron)
    await ensureOrRetryInBackground(
      'weekly digest schedule',
      () => ensureDigestSchedule(client, taskQueue, digestCron),
      schedulesRetry.signal,
    );
  if (options.revenueWebhook)
    await ensureOrRetryInBackground(
      'revenue report schedule',
      () => ensureRevenueSchedule(client, taskQueue, DEFAULT_REVENUE_CRON),
      schedulesRetry.signal,
    );
  if (options.reconcile) await reconcileSubscriptions({ client, workspaces: ctx.directory, taskQueue });

  let stopping: Promise<void> | null = null;
  return {
    worker,
    client,
    taskQueue,
    timing,
    purchases,
    refundFlows: new TemporalRefundFlows({ client, taskQueue }),
    hooks: createLifecycleHooks({ client, taskQueue }),
    dispatcher,
    onBalanceChange(change) {
      if (change.transactionIds.length > 0 || (change as { alertEvents?: number }).alertEvents)
        dispatcher?.wake();
    },
    done,
    stop() {
      stopping ??= (async () => {
        schedulesRetry.abort();
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

/**
 * Who hears about alerts, reminders and purchases: the log, each workspace's own signed webhook
 * endpoint (set with PUT /v1/workspaces/{ws}/webhook), then chat senders.
 */
export function baseNotifiers(ctx: Pick<AppContext, 'ledger'>): Notifier[] {
  return [new LogNotifier(), new WebhookNotifier({ endpoints: ctx.ledger.webhooks })];
}

/** The worker as every role that runs one configures it (`start` and `serve worker`), from the settings. */
export async function workerFor(
  ctx: AppContext,
  config: Config,
  target: TemporalTarget,
  changes: BalanceChanges,
  extra: Partial<StartWorkerOptions> = {},
): Promise<RunningWorker> {
  const worker = await startWorker(ctx, {
    target,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    notifiers: extra.notifiers ?? baseNotifiers(ctx),
    timing: timingOf(config),
    approvalWindowMs: config.PURCHASE_APPROVAL_WINDOW_SECONDS * 1000,
    maintenanceEveryMs: config.MAINTENANCE_INTERVAL_SECONDS * 1000,
    digestCron: config.DIGEST_CRON,
    ...(config.REVENUE_WEBHOOK_URL && config.REVENUE_WEBHOOK_SECRET
      ? { revenueWebhook: { url: config.REVENUE_WEBHOOK_URL, secret: config.REVENUE_WEBHOOK_SECRET } }
      : {}),
    reconcile: true,
    ...(config.WORKER_MAX_CACHED_WORKFLOWS
      ? { workerOptions: { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS } }
      : {}),
    ...extra,
  });
  changes.subscribe(worker.onBalanceChange);
  return worker;
}

/** `serve worker`'s /healthz on WORKER_HEALTH_PORT: 200 while the worker runs. */
export async function workerHealthServer(worker: Worker, port: number, stops: StopStack): Promise<void> {
  const health = createServer((req, res) => {
    const state = worker.getState();
    res.writeHead(req.url === '/healthz' && state === 'RUNNING' ? 200 : 503, {
      'content-type': 'application/json',
    });
    res.end(JSON.stringify({ worker: state }));
  });
  await listen(health, port);
  stops.push('worker health', () => closeServer(health));
}

/** Temporal (the configured cluster or a local dev server) and the worker on it; chat senders join `notifiers` later. */
export async function temporalAndWorkerFor(
  ctx: AppContext,
  config: Config,
  stops: StopStack,
  changes: BalanceChanges,
  log: (line: string) => void,
): Promise<{ local: LocalTemporal; worker: RunningWorker; notifiers: Notifier[] }> {
  const local = await localTemporal(config, log);
  stops.push('temporal dev server', local.stop);
  const notifiers = baseNotifiers(ctx);
  const worker = await workerFor(ctx, config, local.target, changes, { notifiers });
  stops.push('worker', () => worker.stop());
  return { local, worker, notifiers };
}
