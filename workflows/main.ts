/**
 * `npm run worker`: the Temporal worker as its own process (many replicas may run against one
 * Temporal cluster and one PostgreSQL). `npm start` runs the same worker in-process via startWorker.
 */
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Runtime } from '@temporalio/worker';
import { createChatNotifiers } from '../bots/index.js';
import { TemporalPurchaseService } from '../integrations/api/purchases-temporal.js';
import { WebhookNotifier } from '../integrations/webhook/sender.js';
import type { BalanceChange } from '../ledger/ledger.js';
import { migrate } from '../ledger/migrate.js';
import { type Config, loadConfig } from '../runtime/config.js';
import { createContext } from '../runtime/context.js';
import { closeHttpServer, installShutdown } from '../runtime/shutdown.js';
import { resolveTemporal } from '../runtime/temporal.js';
import { defaultTiming } from './deps.js';
import type { Notifier } from './notifications.js';
import { LogNotifier } from './notify/activities.js';
import { startWorker } from './worker.js';

/** Notifiers from the environment: the log, the signed webhook (ALERT_WEBHOOK_URL), Slack and Discord senders. */
export function environmentNotifiers(config: Config): Notifier[] {
  const out: Notifier[] = [new LogNotifier()];
  if (config.ALERT_WEBHOOK_URL) {
    out.push(
      new WebhookNotifier({ url: config.ALERT_WEBHOOK_URL, secret: config.ALERT_WEBHOOK_SECRET ?? '' }),
    );
  }
  return out;
}

function positiveSeconds(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name}: must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  return Math.round(n * 1000);
}

/**
 * The worker process: DATABASE_URL (required), TEMPORAL_ADDRESS (else a local dev server),
 * TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_TLS_CERT/KEY, TEMPORAL_API_KEY,
 * ALERT_WEBHOOK_URL/SECRET, SLACK_BOT_TOKEN, DISCORD_TOKEN, SUBSCRIPTION_PERIOD_SECONDS,
 * MAINTENANCE_INTERVAL_SECONDS (60), PURCHASE_APPROVAL_WINDOW_SECONDS (172800),
 * WORKER_HEALTH_PORT (optional GET /healthz for container health checks).
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    throw new Error(
      'DATABASE_URL: required for `npm run worker` (`npm start` runs everything with an embedded PostgreSQL)',
    );
  }
  const timing = defaultTiming();
  let onBalanceChange: ((c: BalanceChange) => void) | null = null;
  const ctx = createContext({
    databaseUrl: config.DATABASE_URL,
    catalogFile: config.CATALOG_FILE,
    ledger: { cyclePeriodMs: timing.periodMs, onBalanceChange: (c) => onBalanceChange?.(c) },
  });
  await migrate(ctx.sql);
  // Shutdown is ours (runtime/shutdown.ts drains the worker in order); the SDK must not act on signals itself.
  Runtime.install({ shutdownSignals: [] });
  const { target, devServer } = await resolveTemporal(config, { dataDir: config.CREDITS_DATA_DIR });
  const notifiers = environmentNotifiers(config);
  const running = await startWorker(ctx, {
    target,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    notifiers,
    timing,
    approvalWindowMs: positiveSeconds('PURCHASE_APPROVAL_WINDOW_SECONDS', 48 * 3600),
    maintenanceEveryMs: positiveSeconds('MAINTENANCE_INTERVAL_SECONDS', 60),
    reconcile: true,
  });
  onBalanceChange = running.onBalanceChange;
  notifiers.push(
    ...createChatNotifiers(ctx, config, { purchases: new TemporalPurchaseService(running.purchases) }),
  );
  console.log(
    `[worker] task queue ${running.taskQueue} on ${target.address} (namespace ${target.namespace}); notifiers: ${notifiers.map((n) => n.name).join(', ')}`,
  );
  const healthPort = process.env.WORKER_HEALTH_PORT?.trim();
  const health = healthPort
    ? createServer((req, res) => {
        const ok = running.worker.getState() === 'RUNNING';
        res.writeHead(req.url === '/healthz' && ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ worker: running.worker.getState() }));
      }).listen(Number(healthPort))
    : null;
  const shutdown = installShutdown({ log: (line) => console.log(`[worker] ${line}`) });
  shutdown.add('Temporal dev server', async () => devServer?.stop());
  shutdown.add('database pool', ctx.close);
  shutdown.add('Temporal worker', running.stop);
  if (health) shutdown.add('health server', () => closeHttpServer(health));
  await running.done;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
