import type { Client } from '@temporalio/client';
import type { LifecycleHooks } from '../application/lifecycle.js';
import type { Notifier } from '../application/notifications.js';
import type { Purchases } from '../application/purchases.js';
import { createChatNotifiers, type StartedBots, startBots } from '../bots/index.js';
import { type ApiServer, type Mount, startApiServer } from '../integrations/api/server.js';
import { mcpHttpListener } from '../integrations/mcp/transport/http.js';
import { WebhookNotifier } from '../integrations/webhook/sender.js';
import type { BalanceChange } from '../ledger/ledger.js';
import { migrate } from '../ledger/migrate.js';
import { connectClient, createLifecycleHooks } from '../workflows/client.js';
import type { TemporalTarget } from '../workflows/connection.js';
import { type LifecycleTiming, lifecycleTiming } from '../workflows/deps.js';
import { LogNotifier } from '../workflows/notify/activities.js';
import { TemporalPurchases } from '../workflows/purchase/service.js';
import { type RunningWorker, type StartWorkerOptions, startWorker } from '../workflows/worker.js';
import { type Config, ConfigError } from './config.js';
import { type AppContext, createContext } from './context.js';
import { webMounts } from './web.js';

/** What a process runs: `start` is everything on embedded defaults; the others are one service each. */
export type ServiceRole = 'start' | 'api' | 'bots' | 'worker';

/**
 * Stop steps in start order; `stop()` runs them last-started first, each once, even when start-up
 * failed half-way (so a failed start leaves no child process or open pool behind).
 */
export class StopStack {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private stopping: Promise<void> | null = null;

  push(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  stop(onError: (name: string, error: unknown) => void = (n, e) => console.error(`${n}:`, e)): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        await step.run().catch((error: unknown) => onError(step.name, error));
      }
    })();
    return this.stopping;
  }
}

/** Fans balance changes out to whoever subscribes later (the worker's alert dispatcher). */
export class BalanceChanges {
  private readonly listeners: ((change: BalanceChange) => void)[] = [];
  emit = (change: BalanceChange): void => {
    for (const listener of this.listeners) listener(change);
  };
  subscribe(listener: (change: BalanceChange) => void): void {
    this.listeners.push(listener);
  }
}

/** The billing timing every role shares (a fixed period for demos and tests, else calendar months). */
export function timingOf(config: Config): LifecycleTiming {
  return lifecycleTiming(config.SUBSCRIPTION_PERIOD_SECONDS);
}

/** The process's core services on `databaseUrl`, with the ledger's balance changes published to `changes`. */
export function contextFor(config: Config, databaseUrl: string, changes?: BalanceChanges): AppContext {
  return createContext({
    databaseUrl,
    catalogFile: config.CATALOG_FILE,
    poolMax: config.DATABASE_POOL_MAX,
    webIdleMs: config.WEB_SESSION_IDLE_MINUTES * 60_000,
    ledger: {
      cyclePeriodMs: timingOf(config).periodMs,
      debitCallsInFlight: config.DEBIT_CALLS_IN_FLIGHT,
      ...(changes ? { onBalanceChange: changes.emit } : {}),
    },
  });
}

/** The purchase flows as every role starts them: the approval window comes from the settings, always. */
export function purchasesFor(ctx: AppContext, config: Config, client: Client): TemporalPurchases {
  return new TemporalPurchases({
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    purchases: ctx.ledger.purchases,
    catalog: ctx.catalog,
    directory: ctx.directory,
    approvalWindowMs: config.PURCHASE_APPROVAL_WINDOW_SECONDS * 1000,
    clock: () => ctx.ledger.now(),
  });
}

/**
 * Who hears about alerts, reminders and purchases: the log, each workspace's own signed webhook
 * endpoint (set with PUT /v1/workspaces/{ws}/webhook), then chat senders.
 */
export function baseNotifiers(ctx: Pick<AppContext, 'ledger'>): Notifier[] {
  return [new LogNotifier(), new WebhookNotifier({ endpoints: ctx.ledger.webhooks })];
}

/** The worker as every role that runs one configures it (`start` and `serve worker`). */
export async function workerFor(
  ctx: AppContext,
  config: Config,
  target: TemporalTarget,
  changes: BalanceChanges,
  extra: Partial<StartWorkerOptions> = {},
): Promise<RunningWorker> {
  const notifiers = extra.notifiers ?? baseNotifiers(ctx);
  const worker = await startWorker(ctx, {
    target,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    notifiers,
    timing: timingOf(config),
    approvalWindowMs: config.PURCHASE_APPROVAL_WINDOW_SECONDS * 1000,
    maintenanceEveryMs: config.MAINTENANCE_INTERVAL_SECONDS * 1000,
    digestCron: config.DIGEST_CRON,
    reconcile: true,
    ...(config.WORKER_MAX_CACHED_WORKFLOWS
      ? { workerOptions: { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS } }
      : {}),
    ...extra,
  });
  changes.subscribe(worker.onBalanceChange);
  return worker;
}

/** Purchases and lifecycle hooks for a process that is not the worker: a client on TEMPORAL_ADDRESS, or none. */
export async function temporalClientFor(
  ctx: AppContext,
  config: Config,
  target: TemporalTarget | null,
  stops: StopStack,
): Promise<{ purchases?: Purchases; lifecycle?: LifecycleHooks }> {
  if (!target) return {};
  const client = await connectClient(target);
  stops.push('temporal client', () => client.connection.close());
  return {
    purchases: purchasesFor(ctx, config, client),
    lifecycle: createLifecycleHooks({ client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
  };
}

/** The configured cluster (TEMPORAL_ADDRESS and friends), or null. */
export function configuredTemporal(config: Config): TemporalTarget | null {
  if (!config.TEMPORAL_ADDRESS) return null;
  return {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    tlsCert: config.TEMPORAL_TLS_CERT,
    tlsKey: config.TEMPORAL_TLS_KEY,
    apiKey: config.TEMPORAL_API_KEY,
  };
}

export function requireSettings(config: Config, names: (keyof Config)[], what: string): void {
  const missing = names.filter((k) => !config[k]);
  if (missing.length) throw new ConfigError(missing.map((k) => `${k}: is required for "${what}"`));
}

/** Applies migrations (safe from many replicas at once) and says what it did. */
export async function migrated(ctx: AppContext, log: (line: string) => void): Promise<void> {
  const result = await migrate(ctx.sql);
  if (result.applied.length) log(`Migrations applied: ${result.applied.join(', ')}`);
}

/** The API on PORT with purchases and lifecycle hooks when Temporal is reachable. */
export async function apiFor(
  ctx: AppContext,
  config: Config,
  input: { operatorKey?: string; purchases?: Purchases; lifecycle?: LifecycleHooks; mounts?: Mount[] },
  stops: StopStack,
): Promise<ApiServer> {
  // Revocations and role changes from any replica empty this process's key cache at once; without
  // the LISTEN connection a cached key is trusted for 10 s at most.
  await ctx.apiKeys
    .watch()
    .catch((error: unknown) =>
      console.warn(`[api] key changes not watched (${(error as Error).message}); cached keys expire in 10 s`),
    );
  const server = await startApiServer({
    ctx: {
      ...ctx,
      operatorKey: input.operatorKey,
      purchases: input.purchases,
      lifecycle: input.lifecycle,
      publicUrl: config.PUBLIC_URL,
      autoTopUpLimits: {
        maxBelow: config.AUTO_TOP_UP_MAX_BELOW,
        maxMonthlyBudget: config.AUTO_TOP_UP_MAX_MONTHLY_BUDGET,
      },
      ...(config.RATE_LIMIT_REQUESTS > 0
        ? {
            rateLimit: {
              points: config.RATE_LIMIT_REQUESTS,
              durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
            },
          }
        : {}),
    },
    port: config.PORT,
    mounts: [mcpMount(ctx, { ...input, config }), ...(input.mounts ?? [])],
    appMounts: (app) => webMounts(ctx, config, app),
  });
  stops.push('api', () => server.close());
  return server;
}

/** Streamable HTTP MCP at `/mcp` on the API port: the same keys, the application services in-process. */
export function mcpMount(
  ctx: Pick<AppContext, 'catalog' | 'ledger' | 'directory' | 'reports' | 'apiKeys'>,
  input: {
    operatorKey?: string;
    purchases?: Purchases;
    config?: Pick<Config, 'RATE_LIMIT_REQUESTS' | 'RATE_LIMIT_WINDOW_SECONDS'>;
  },
): Mount {
  const { catalog, ledger, directory, reports, apiKeys } = ctx; // never the SQL connection
  return {
    path: '/mcp',
    listener: mcpHttpListener({
      catalog,
      ledger,
      directory,
      reports,
      apiKeys,
      operatorKey: input.operatorKey,
      purchases: input.purchases,
      ...(input.config && input.config.RATE_LIMIT_REQUESTS > 0
        ? {
            rateLimit: {
              points: input.config.RATE_LIMIT_REQUESTS,
              durationSeconds: input.config.RATE_LIMIT_WINDOW_SECONDS,
            },
          }
        : {}),
    }),
  };
}

/** Slack and Discord, as configured (either may be absent). */
export async function botsFor(
  ctx: AppContext,
  config: Config,
  purchases: Purchases | undefined,
  stops: StopStack,
): Promise<StartedBots> {
  const bots = await startBots(ctx, config, { purchases });
  stops.push('bots', () => bots.stop());
  return bots;
}

/** Chat senders for a worker process (no receiver, no gateway connection). */
export function chatNotifiersFor(ctx: AppContext, config: Config, purchases: Purchases): Notifier[] {
  return createChatNotifiers(ctx, config, { purchases });
}

/** Which chat platforms run, and where Slack's events arrive (`base` + the receiver's path). */
export function describeBots(bots: StartedBots, base: string): string {
  const slack = bots.mounts[0]
    ? `Slack (HTTP events at ${base}${bots.mounts[0].path})`
    : 'Slack (Socket Mode)';
  return [bots.slack ? slack : null, bots.discord ? 'Discord' : null].filter(Boolean).join(', ');
}
