import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { startBots, startConsole } from '../bots/index.js';
import { TemporalPurchaseService } from '../integrations/api/purchases-temporal.js';
import { startApiServer } from '../integrations/api/server.js';
import type { BalanceChange } from '../ledger/ledger.js';
import { migrate } from '../ledger/migrate.js';
import { type Config, ConfigError } from '../runtime/config.js';
import { type AppContext, createContext } from '../runtime/context.js';
import { DEMO_WORKSPACE, demoApiKey, seedDemo } from '../runtime/demo.js';
import { closeHttpServer, installShutdown } from '../runtime/shutdown.js';
import { resolveTemporal, type TemporalTarget } from '../runtime/temporal.js';
import { connectClient, createLifecycleHooks, type LifecycleHooks } from '../workflows/client.js';
import { defaultTiming } from '../workflows/deps.js';
import { environmentNotifiers } from '../workflows/main.js';
import { PurchaseManager } from '../workflows/purchase/service.js';
import { startWorker } from '../workflows/worker.js';
import { resolveDatabase } from './database.js';

const log = (line: string) => console.log(line);

async function operatorKey(config: Config): Promise<string> {
  if (config.OPERATOR_API_KEY) return config.OPERATOR_API_KEY;
  const file = resolve(config.CREDITS_DATA_DIR, 'operator-api-key');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = `cr_op_${randomBytes(24).toString('base64url')}`;
  await mkdir(config.CREDITS_DATA_DIR, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The Temporal cluster for `npm start`: TEMPORAL_ADDRESS, else the `temporal` CLI's dev server
 * (data in <data dir>/temporal), provisioned first if missing (runtime/temporal-provision.ts).
 */
async function temporalFor(
  config: Config,
): Promise<{ target: TemporalTarget; uiUrl: string | null; stop(): Promise<void> }> {
  const { target, devServer } = await resolveTemporal(config, {
    dataDir: config.CREDITS_DATA_DIR,
    log: () => {},
  });
  return { target, uiUrl: devServer?.uiUrl ?? null, stop: async () => devServer?.stop() };
}

/** `npm start`: the whole service on embedded defaults, or on the configured PostgreSQL, Temporal, Slack and Discord. */
export async function start(config: Config): Promise<number> {
  const shutdown = installShutdown({ log });
  const db = await resolveDatabase(config, log);
  shutdown.add('PostgreSQL', db.stop);
  const timing = defaultTiming();
  let onBalanceChange: (change: BalanceChange) => void = () => {};
  const ctx = createContext({
    databaseUrl: db.url,
    catalogFile: config.CATALOG_FILE,
    ledger: { cyclePeriodMs: timing.periodMs, onBalanceChange: (c) => onBalanceChange(c) },
  });
  shutdown.add('database pool', ctx.close);
  const migrated = await migrate(ctx.sql);
  if (migrated.applied.length) log(`Migrations applied: ${migrated.applied.join(', ')}`);
  if (await seedDemo(ctx))
    log(`Seeded the demo workspace "${DEMO_WORKSPACE}" with a plan and four weeks of history.`);
  const demoKey = (await ctx.directory.workspace(DEMO_WORKSPACE).catch(() => null))
    ? await demoApiKey(ctx, config.CREDITS_DATA_DIR)
    : null;
  const opKey = await operatorKey(config);

  // Shutdown is ours (runtime/shutdown.ts stops the worker in order); the SDK must not act on signals itself.
  Runtime.install({ shutdownSignals: [] });
  const temporal = await temporalFor(config);
  shutdown.add('Temporal dev server', temporal.stop);
  const notifiers = environmentNotifiers(config);
  const worker = await startWorker(ctx, {
    target: temporal.target,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    notifiers,
    timing,
    reconcile: true,
  });
  shutdown.add('Temporal worker', worker.stop);
  onBalanceChange = worker.onBalanceChange;
  const purchases = new TemporalPurchaseService(worker.purchases);

  const bots = await startBots(ctx, config, { purchases });
  shutdown.add('chat bots', bots.stop);
  notifiers.push(...bots.notifiers);

  const server = await startApiServer({
    ctx: { ...ctx, operatorKey: opKey, purchases, lifecycle: worker.hooks },
    port: config.PORT,
    mounts: bots.mounts,
  });
  shutdown.add('HTTP server', server.close);
  log('');
  log(`Credits API     ${server.url}   (OpenAPI: ${server.url}/openapi.json)`);
  log(`Catalog         ${ctx.catalogFile}`);
  log(
    `Database        ${db.embedded ? `embedded PostgreSQL, data in ${config.CREDITS_DATA_DIR}/postgres` : 'DATABASE_URL'}`,
  );
  log(
    `Temporal        ${temporal.target.address}${temporal.uiUrl ? `   (Web UI: ${temporal.uiUrl})` : ''}; worker on task queue ${worker.taskQueue}`,
  );
  log(
    `Chat            ${describeBots(bots, server.url) || 'no Slack or Discord tokens: the console below talks to the same bot core'}`,
  );
  if (demoKey) {
    log(`Demo API key    ${demoKey}   (workspace "${DEMO_WORKSPACE}")`);
    log(
      `Try             curl -s -H "Authorization: Bearer ${demoKey}" ${server.url}/v1/workspaces/${DEMO_WORKSPACE}/balance`,
    );
  }
  log(
    `Operator key    ${config.OPERATOR_API_KEY ? '(from OPERATOR_API_KEY)' : `${opKey}   (kept in ${config.CREDITS_DATA_DIR}/operator-api-key)`}`,
  );
  log('Press Ctrl-C to stop.');
  if (!bots.slack && !bots.discord && demoKey && process.stdin.isTTY) {
    log('');
    void startConsole(ctx, { purchases });
  }
  return -1;
}

/** Which chat platforms run, and where Slack's events arrive (`base` + the receiver's path). */
function describeBots(bots: Awaited<ReturnType<typeof startBots>>, base: string): string {
  const slack = bots.mounts[0]
    ? `Slack (HTTP events at ${base}${bots.mounts[0].path})`
    : 'Slack (Socket Mode)';
  return [bots.slack ? slack : null, bots.discord ? 'Discord' : null].filter(Boolean).join(', ');
}

/**
 * Purchases and lifecycle hooks for processes that are not the worker (API and bot replicas):
 * a Temporal client on TEMPORAL_ADDRESS; without it, purchases answer 503 and workspace changes
 * reach the subscription flows when a worker reconciles.
 */
async function temporalServices(
  ctx: AppContext,
  config: Config,
): Promise<{ purchases?: TemporalPurchaseService; lifecycle?: LifecycleHooks; close(): Promise<void> }> {
  if (!config.TEMPORAL_ADDRESS) return { close: async () => {} };
  const { target } = await resolveTemporal(config, { dataDir: config.CREDITS_DATA_DIR });
  const client = await connectClient(target);
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const manager = new PurchaseManager({
    client,
    taskQueue,
    sql: ctx.sql,
    catalog: ctx.catalog,
    directory: ctx.directory,
  });
  return {
    purchases: new TemporalPurchaseService(manager),
    lifecycle: createLifecycleHooks({ client, taskQueue }),
    close: () => client.connection.close(),
  };
}

function requireDatabase(config: Config, extra: (keyof Config)[], what: string): void {
  const missing = (['DATABASE_URL', ...extra] as const).filter((k) => !config[k]);
  if (missing.length) throw new ConfigError(missing.map((k) => `${k}: is required for "${what}"`));
}

/** `npm run serve:api`: the API alone against a configured database; no demo data. */
export async function serveApi(config: Config): Promise<number> {
  requireDatabase(config, ['OPERATOR_API_KEY'], 'serve api');
  const shutdown = installShutdown({ log });
  const ctx = createContext({ databaseUrl: config.DATABASE_URL!, catalogFile: config.CATALOG_FILE });
  shutdown.add('database pool', ctx.close);
  await migrate(ctx.sql);
  const temporal = await temporalServices(ctx, config);
  shutdown.add('Temporal client', temporal.close);
  const server = await startApiServer({
    ctx: {
      ...ctx,
      operatorKey: config.OPERATOR_API_KEY,
      purchases: temporal.purchases,
      lifecycle: temporal.lifecycle,
    },
    port: config.PORT,
  });
  shutdown.add('HTTP server', server.close);
  log(
    `Credits API listening on ${server.url}${temporal.purchases ? ` (purchases via Temporal at ${config.TEMPORAL_ADDRESS})` : ''}`,
  );
  return -1;
}

/** `credits serve bots`: Slack (HTTP events on PORT, or Socket Mode) and Discord, with /healthz. */
export async function serveBots(config: Config): Promise<number> {
  requireDatabase(config, [], 'serve bots');
  if (!config.SLACK_BOT_TOKEN && !config.DISCORD_TOKEN) {
    throw new ConfigError(['SLACK_BOT_TOKEN or DISCORD_TOKEN: at least one is required for "serve bots"']);
  }
  const shutdown = installShutdown({ log });
  const ctx = createContext({ databaseUrl: config.DATABASE_URL!, catalogFile: config.CATALOG_FILE });
  shutdown.add('database pool', ctx.close);
  const temporal = await temporalServices(ctx, config);
  shutdown.add('Temporal client', temporal.close);
  const bots = await startBots(ctx, config, { purchases: temporal.purchases });
  shutdown.add('chat bots', bots.stop);
  const server = createServer((req, res) => {
    const mount = bots.mounts.find((m) => req.url?.startsWith(m.path));
    if (mount) return mount.listener(req, res);
    if (req.url === '/healthz') {
      ctx.sql`SELECT 1`.then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(config.PORT, ok));
  shutdown.add('HTTP server', () => closeHttpServer(server));
  log(`Bots: ${describeBots(bots, `:${config.PORT}`)}; health at :${config.PORT}/healthz`);
  return -1;
}
