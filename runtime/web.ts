import { buildUsageChart } from '../application/usage-chart.js';
import { BurnRates } from '../bots/core/burn.js';
import type { CreatedApp } from '../integrations/api/app.js';
import { IN_PROCESS_PRINCIPAL } from '../integrations/api/auth.js';
import type { Mount } from '../integrations/api/server.js';
import { WEB_PATHS, webConsoleListener } from '../integrations/web/index.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';

/** EMBED_ORIGINS as a list. */
export function embedOrigins(config: Pick<Config, 'EMBED_ORIGINS'>): string[] {
  return (config.EMBED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * The web console (/app) and widget (/embed) on the API's port: pages that call this API app
 * in-process as the signed-in member, and the chat's usage chart data with the bots' burn rate.
 */
export function webMounts(
  ctx: Pick<AppContext, 'webAccess' | 'ledger' | 'reports' | 'directory' | 'catalog'>,
  config: Pick<Config, 'EMBED_ORIGINS' | 'PUBLIC_URL'>,
  app: CreatedApp,
  /** The address the API listens on: links point there when PUBLIC_URL is unset. */
  serverUrl?: string,
): Mount[] {
  const burn = new BurnRates(ctx.ledger);
  const listener = webConsoleListener({
    webAccess: ctx.webAccess,
    api: (principal, request) => Promise.resolve(app.fetch(request, { [IN_PROCESS_PRINCIPAL]: principal })),
    embedOrigins: embedOrigins(config),
    publicUrl: config.PUBLIC_URL ?? serverUrl,
    usageChart: async (workspaceId, by) => {
      const now = ctx.ledger.now();
      const { perDay } = await burn.get(workspaceId, now);
      return buildUsageChart(ctx, workspaceId, { now, perDay, by });
    },
  });
  return WEB_PATHS.map((path) => ({ path, listener }));
}
