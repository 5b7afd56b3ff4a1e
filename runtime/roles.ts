import type { StartedBots } from '../bots/index.js';
import type { ApiServer } from '../integrations/api/server.js';
import { migrate } from '../ledger/migrate.js';
import type { TemporalTarget } from '../workflows/connection.js';
import { type Config, ConfigError } from './config.js';
import { type AppContext, BalanceChanges, contextFor } from './context.js';
import { resolveDatabase } from './database.js';
import { apiFor } from './roles/api.js';
import { botsFor, botsHealthServer, chatNotifiersFor, describeBots } from './roles/bots.js';
import { portOf } from './roles/http.js';
import { startAll } from './roles/start.js';
import { configuredTemporal, temporalClientFor } from './roles/temporal-client.js';
import { type RunningWorker, temporalAndWorkerFor, workerHealthServer } from './roles/worker.js';
import { StopStack } from './stop-stack.js';

/** What a process runs: `start` is everything on embedded defaults; the others are one service each. */
export type ServiceRole = 'start' | 'api' | 'bots' | 'worker';

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
 * The one composition root: builds and starts the services of `role` from the settings, each from
 * its builder in runtime/roles/ (the CLI's commands take their context from runtime/roles/cli.ts).
 * `credits start`, `credits serve api|bots|worker`, the benches and the tests all come through here,
 * so every role is wired the same way (approval window, pool size, timing, notifiers).
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
  const ctx = contextFor(config, db?.url ?? config.DATABASE_URL!, { changes });
  stops.push('connection pool', () => ctx.close());
  const running: RunningRole = { role, ctx, banner: [], stop: () => stops.stop() };
  if (role !== 'bots') {
    // Safe from many replicas at once.
    const result = await migrate(ctx.sql);
    if (result.applied.length) log(`Migrations applied: ${result.applied.join(', ')}`);
  }

  switch (role) {
    case 'start': {
      const all = await startAll(
        ctx,
        config,
        { console: options.console, embedded: db!.embedded },
        stops,
        changes,
        log,
      );
      Object.assign(running, {
        api: all.api,
        bots: all.bots,
        worker: all.worker,
        temporal: all.temporal,
        banner: all.banner,
      });
      break;
    }
    case 'api': {
      const temporal = await temporalClientFor(ctx, config, configuredTemporal(config), stops);
      running.api = await apiFor(
        ctx,
        config,
        { operatorKey: config.OPERATOR_API_KEY, ...temporal, defaultHost: '0.0.0.0' },
        stops,
      );
      running.banner.push(
        `Credits API listening on ${running.api.url}${temporal.purchases ? ` (purchases via Temporal at ${config.TEMPORAL_ADDRESS})` : ''}`,
      );
      break;
    }
    case 'bots': {
      const temporal = await temporalClientFor(ctx, config, configuredTemporal(config), stops);
      running.bots = await botsFor(ctx, config, temporal.purchases, stops, temporal.refundFlows);
      const health = await botsHealthServer(config.PORT, running.bots, ctx, stops);
      running.banner.push(
        `Bots: ${describeBots(running.bots, `:${portOf(health)}`)}; health at :${portOf(health)}/healthz`,
      );
      break;
    }
    case 'worker': {
      const { local, worker, notifiers } = await temporalAndWorkerFor(ctx, config, stops, changes, log);
      running.temporal = local.target;
      running.worker = worker;
      notifiers.push(...chatNotifiersFor(ctx, config, worker.purchases));
      if (config.WORKER_HEALTH_PORT !== undefined)
        await workerHealthServer(worker.worker, config.WORKER_HEALTH_PORT, stops);
      running.banner.push(
        `[worker] task queue ${worker.taskQueue} on ${local.target.address} (namespace ${local.target.namespace}); notifiers: ${notifiers.map((n) => n.name).join(', ')}`,
      );
      break;
    }
  }
  return running;
}

function requireSettings(config: Config, names: (keyof Config)[], what: string): void {
  const missing = names.filter((k) => !config[k]);
  if (missing.length) throw new ConfigError(missing.map((k) => `${k}: is required for "${what}"`));
}
