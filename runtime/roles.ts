import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Notifier } from '../application/notifications.js';
import type { StartedBots } from '../bots/index.js';
import { startConsole } from '../bots/index.js';
import { type ApiServer, withBodyLimit } from '../integrations/api/server.js';
import type { TemporalTarget } from '../workflows/connection.js';
import type { RunningWorker } from '../workflows/worker.js';
import { type Config, ConfigError } from './config.js';
import type { AppContext } from './context.js';
import { resolveDatabase } from './database.js';
import { DEMO_WORKSPACE, demoApiKey, seedDemo } from './demo.js';
import { type LocalTemporal, localTemporal } from './local-temporal.js';
import { operatorKey } from './operator-key.js';
import {
  apiFor,
  BalanceChanges,
  baseNotifiers,
  botsFor,
  chatNotifiersFor,
  configuredTemporal,
  contextFor,
  describeBots,
  migrated,
  requireSettings,
  type ServiceRole,
  StopStack,
  temporalClientFor,
  workerFor,
} from './services.js';

export type { ServiceRole } from './services.js';

export interface RunningRole {
  role: ServiceRole;
  ctx: AppContext;
  api?: ApiServer;
  worker?: RunningWorker;
  bots?: StartedBots;
  temporal?: TemporalTarget;
  /** What the process prints once it runs (addresses, keys, what is connected). */
  banner: string[];
  /** Stops everything it started, last started first; safe to call more than once. */
  stop(): Promise<void>;
}

export interface RoleOptions {
  log?: (line: string) => void;
  /** `start` only: open the chat console on this terminal when no chat platform is configured. */
  console?: boolean;
}

/**
 * The one composition root: builds and starts the services of `role` from the settings. The CLI
 * (`credits start`, `credits serve api|bots|worker`), the benches and the tests all come through
 * here, so every role is wired the same way (approval window, pool size, timing, notifiers).
 * On a failed start everything already started is stopped before the error is rethrown.
 */
export async function runRole(
  role: ServiceRole,
  config: Config,
  options: RoleOptions = {},
): Promise<RunningRole> {
  const stops = new StopStack();
  try {
    return await build(role, config, options, stops);
  } catch (error) {
    await stops.stop();
    throw error;
  }
}

async function build(
  role: ServiceRole,
  config: Config,
  options: RoleOptions,
  stops: StopStack,
): Promise<RunningRole> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (role !== 'start') requireSettings(config, ['DATABASE_URL'], `serve ${role}`);
  if (role === 'api') requireSettings(config, ['OPERATOR_API_KEY'], 'serve api');
  if (role === 'bots' && !config.SLACK_BOT_TOKEN && !config.DISCORD_TOKEN) {
    throw new ConfigError(['SLACK_BOT_TOKEN or DISCORD_TOKEN: at least one is required for "serve bots"']);
  }
  const db = role === 'start' ? await resolveDatabase(config, log) : null;
  if (db) stops.push('database', db.stop);
  const changes = new BalanceChanges();
  const ctx = contextFor(config, db?.url ?? config.DATABASE_URL!, changes);
  stops.push('connection pool', () => ctx.close());
  const running: RunningRole = { role, ctx, banner: [], stop: () => stops.stop() };
  if (role !== 'bots') await migrated(ctx, log);

  switch (role) {
    case 'start':
      await buildStart(running, config, options, stops, changes, db!.embedded, log);
      break;
    case 'api': {
      const temporal = await temporalClientFor(ctx, config, configuredTemporal(config), stops);
      running.api = await apiFor(ctx, config, { operatorKey: config.OPERATOR_API_KEY, ...temporal }, stops);
      running.banner.push(
        `Credits API listening on ${running.api.url}${temporal.purchases ? ` (purchases via Temporal at ${config.TEMPORAL_ADDRESS})` : ''}`,
      );
      break;
    }
    case 'bots': {
      const temporal = await temporalClientFor(ctx, config, configuredTemporal(config), stops);
      running.bots = await botsFor(ctx, config, temporal.purchases, stops);
      const health = await healthServer(config.PORT, running.bots, ctx, stops);
      running.banner.push(
        `Bots: ${describeBots(running.bots, `:${portOf(health)}`)}; health at :${portOf(health)}/healthz`,
      );
      break;
    }
    case 'worker': {
      const { local, worker, notifiers } = await temporalAndWorker(running, config, stops, changes, log);
      notifiers.push(...chatNotifiersFor(ctx, config, worker.purchases));
      if (config.WORKER_HEALTH_PORT !== undefined) {
        const health = createServer((req, res) => {
          const state = worker.worker.getState();
          res.writeHead(req.url === '/healthz' && state === 'RUNNING' ? 200 : 503, {
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ worker: state }));
        });
        await listen(health, config.WORKER_HEALTH_PORT);
        stops.push('worker health', () => closeServer(health));
      }
      running.banner.push(
        `[worker] task queue ${worker.taskQueue} on ${local.target.address} (namespace ${local.target.namespace}); notifiers: ${notifiers.map((n) => n.name).join(', ')}`,
      );
      break;
    }
  }
  return running;
}

/** `npm start`: the embedded database (or DATABASE_URL), demo data, Temporal, the worker, bots or console, the API. */
async function buildStart(
  running: RunningRole,
  config: Config,
  options: RoleOptions,
  stops: StopStack,
  changes: BalanceChanges,
  embedded: boolean,
  log: (line: string) => void,
): Promise<void> {
  const { ctx } = running;
  if (await seedDemo(ctx))
    log(`Seeded the demo workspace "${DEMO_WORKSPACE}" with a plan and four weeks of history.`);
  const demoKey = (await ctx.directory.workspace(DEMO_WORKSPACE).catch(() => null))
    ? await demoApiKey(ctx, config.CREDITS_DATA_DIR)
    : null;
  const opKey = await operatorKey(config);

  const { local, worker, notifiers } = await temporalAndWorker(running, config, stops, changes, log);
  const purchases = worker.purchases;
  const bots = await botsFor(ctx, config, purchases, stops);
  running.bots = bots;
  notifiers.push(...bots.notifiers);
  const api = await apiFor(
    ctx,
    config,
    { operatorKey: opKey.key, purchases, lifecycle: worker.hooks, mounts: bots.mounts },
    stops,
  );
  running.api = api;

  const b = running.banner;
  b.push('');
  b.push(`Credits API     ${api.url}   (reference: ${api.url}/docs, OpenAPI: ${api.url}/openapi.json)`);
  b.push(`Agents (MCP)    ${api.url}/mcp   (Streamable HTTP, Bearer key; or "credits mcp" over stdio)`);
  b.push(`Catalog         ${ctx.catalogFile}`);
  b.push(
    `Database        ${embedded ? `embedded PostgreSQL, data in ${config.CREDITS_DATA_DIR}/postgres` : 'DATABASE_URL'}`,
  );
  b.push(
    `Temporal        ${local.target.address}${local.uiUrl ? `   (Web UI: ${local.uiUrl})` : ''}; worker on task queue ${worker.taskQueue}`,
  );
  b.push(
    `Chat            ${describeBots(bots, api.url) || 'no Slack or Discord tokens: the console below talks to the same bot core'}`,
  );
  if (demoKey) {
    b.push(`Demo API key    ${demoKey}   (workspace "${DEMO_WORKSPACE}")`);
    b.push(
      `Try             curl -s -H "Authorization: Bearer ${demoKey}" ${api.url}/v1/workspaces/${DEMO_WORKSPACE}/balance`,
    );
  }
  b.push(`Operator key    ${opKey.shown}`);
  b.push('Press Ctrl-C to stop.');
  if (options.console && !bots.slack && !bots.discord && demoKey) {
    b.push('');
    // Printed after the banner by the caller's next tick; the console ends when stdin does.
    setImmediate(
      () =>
        void startConsole(ctx, {
          purchases,
          chartsDir: join(config.CREDITS_DATA_DIR, 'charts'),
          insideService: true,
        }),
    );
  }
}

/** Temporal (the configured cluster or a local dev server) and the worker on it; chat senders join `notifiers` later. */
async function temporalAndWorker(
  running: RunningRole,
  config: Config,
  stops: StopStack,
  changes: BalanceChanges,
  log: (line: string) => void,
): Promise<{ local: LocalTemporal; worker: RunningWorker; notifiers: Notifier[] }> {
  const local = await localTemporal(config, log);
  stops.push('temporal dev server', local.stop);
  running.temporal = local.target;
  const notifiers = baseNotifiers(running.ctx);
  const worker = await workerFor(running.ctx, config, local.target, changes, { notifiers });
  stops.push('worker', () => worker.stop());
  running.worker = worker;
  return { local, worker, notifiers };
}

async function healthServer(
  port: number,
  bots: StartedBots,
  ctx: AppContext,
  stops: StopStack,
): Promise<Server> {
  const server = createServer((req, res) => {
    const mount = bots.mounts.find((m) => req.url?.startsWith(m.path));
    if (mount) return withBodyLimit(mount.listener)(req, res);
    if (req.url === '/healthz') {
      ctx.ledger.ping().then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await listen(server, port);
  stops.push('bots health', () => closeServer(server));
  return server;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
