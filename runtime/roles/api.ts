import type { LifecycleHooks } from '../../application/lifecycle.js';
import type { Purchases } from '../../application/purchases.js';
import type { RefundFlows } from '../../application/refunds.js';
import { type ApiServer, type Mount, startApiServer } from '../../integrations/api/server.js';
import { mcpHttpListener } from '../../integrations/mcp/transport/http.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { StopStack } from '../stop-stack.js';
import { webMounts } from '../web.js';

/** The API on PORT with purchases and lifecycle hooks when Temporal is reachable. */
export async function apiFor(
  ctx: AppContext,
  config: Config,
  input: {
    operatorKey?: string;
    purchases?: Purchases;
    refundFlows?: RefundFlows;
    lifecycle?: LifecycleHooks;
    mounts?: Mount[];
  },
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
      refundFlows: input.refundFlows,
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
