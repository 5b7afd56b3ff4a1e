import { join } from 'node:path';
import type { StartedBots } from '../../bots/index.js';
import { startConsole } from '../../bots/index.js';
import type { ApiServer } from '../../integrations/api/server.js';
import type { TemporalTarget } from '../../workflows/connection.js';
import type { Config } from '../config.js';
import type { AppContext, BalanceChanges } from '../context.js';
import { DEMO_WORKSPACE, demoApiKey, seedDemo } from '../demo.js';
import { operatorKey } from '../operator-key.js';
import type { StopStack } from '../stop-stack.js';
import { apiFor } from './api.js';
import { botsFor, describeBots } from './bots.js';
import { type RunningWorker, temporalAndWorkerFor } from './worker.js';

export interface StartedAll {
  api: ApiServer;
  bots: StartedBots;
  worker: RunningWorker;
  temporal: TemporalTarget;
  /** What `npm start` prints once everything runs. */
  banner: string[];
}

/** `npm start`: demo data, Temporal, the worker, bots or console, the API, on the database given. */
export async function startAll(
  ctx: AppContext,
  config: Config,
  options: { console?: boolean; embedded: boolean },
  stops: StopStack,
  changes: BalanceChanges,
  log: (line: string) => void,
): Promise<StartedAll> {
  if (await seedDemo(ctx))
    log(`Seeded the demo workspace "${DEMO_WORKSPACE}" with a plan and four weeks of history.`);
  const demoKey = (await ctx.directory.workspace(DEMO_WORKSPACE).catch(() => null))
    ? await demoApiKey(ctx, config.CREDITS_DATA_DIR)
    : null;
  const opKey = await operatorKey(config);

  const { local, worker, notifiers } = await temporalAndWorkerFor(ctx, config, stops, changes, log);
  const purchases = worker.purchases;
  const bots = await botsFor(ctx, config, purchases, stops);
  notifiers.push(...bots.notifiers);
  const api = await apiFor(
    ctx,
    config,
    {
      operatorKey: opKey.key,
      purchases,
      refundFlows: worker.refundFlows,
      lifecycle: worker.hooks,
      mounts: bots.mounts,
    },
    stops,
  );

  const b: string[] = [];
  b.push('');
  b.push(`Credits API     ${api.url}   (reference: ${api.url}/docs, OpenAPI: ${api.url}/openapi.json)`);
  const consoleBase = config.PUBLIC_URL ?? api.url;
  b.push(
    `Web console     ${consoleBase}/app   (sign in with a link: \`web\` in the chat, or credits login-link <workspace> --member <id>)`,
  );
  b.push(`Agents (MCP)    ${api.url}/mcp   (Streamable HTTP, Bearer key; or "credits mcp" over stdio)`);
  b.push(`Catalog         ${ctx.catalogFile}`);
  b.push(
    `Database        ${options.embedded ? `embedded PostgreSQL, data in ${config.CREDITS_DATA_DIR}/postgres` : 'DATABASE_URL'}`,
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
          publicUrl: consoleBase,
          insideService: true,
        }),
    );
  }
  return { api, bots, worker, temporal: local.target, banner: b };
}
