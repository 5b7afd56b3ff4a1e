import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimitFor, MAX_JSON_DEPTH } from '../../application/request-limits.js';
import type { FieldIssue } from '../../ledger/errors.js';
import { type ApiEnv, authenticate } from './auth.js';
import { bodyLimit, jsonDepthLimit } from './body-limit.js';
import type { ApiContext, RouteDeps } from './context.js';
import { registerDocsRoutes } from './docs-page.js';
import { errorBody, errorResponses, invalid, sendError, zodIssues } from './errors.js';
import { leanValidation } from './lean-validation.js';
import { ApiMetrics, routeTemplate } from './metrics.js';
import { refuseNulBytes } from './nul-bytes.js';
import { registerDocumentRoute } from './openapi.js';
import { assertEveryRouteHasPolicy, enforcePolicies } from './policy.js';
import { rateLimit } from './rate-limit.js';
import { registerAccessRoutes } from './routes/access.js';
import { registerAutoTopUpRoutes } from './routes/auto-top-up.js';
import { registerBudgetRaiseRoutes } from './routes/budget-raises.js';
import { registerBudgetRoutes } from './routes/budgets.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { registerLedgerRoutes } from './routes/ledger.js';
import { registerPurchaseRoutes } from './routes/purchases.js';
import { registerRefundRoutes } from './routes/refunds.js';
import { json } from './routes/util.js';
import { registerWebAccessRoutes } from './routes/web-access.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerWhoamiRoute } from './routes/whoami.js';
import { registerWorkspaceRoutes } from './routes/workspaces.js';

export type { Purchase, PurchaseStatus, Purchases } from '../../application/purchases.js';
export type { ApiContext } from './context.js';
export { openApiDocument } from './openapi.js';

export interface CreatedApp extends OpenAPIHono<ApiEnv> {
  /** The app's own Prometheus registry and counters. */
  metrics: ApiMetrics;
}

/** Builds the HTTP API over a context; nothing listens until `startApiServer` (or `app.request()` in tests). */
export function createApp(ctx: ApiContext): CreatedApp {
  const metrics = new ApiMetrics();
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: async (result, c) => {
      const issues = result.success
        ? []
        : zodIssues(result.error).map((i) =>
            result.target === 'header' && i.field.startsWith('idempotency-key')
              ? { ...i, field: 'Idempotency-Key' }
              : i,
          );
      if (result.target === 'json' && c.get('idempotent')) {
        const problem = await idempotencyKeyProblem(c);
        if (problem && !issues.some((i) => i.field === 'idempotencyKey')) issues.push(problem);
      }
      if (issues.length > 0) throw invalid(issues);
    },
  }) as CreatedApp;
  app.metrics = metrics;
  leanValidation(app);
  const deps: RouteDeps = { ctx, metrics };

  app.onError((err, c) => {
    const code = (err as { code?: string }).code;
    if (code === 'insufficient_credits') metrics.insufficient.inc({ route: routeTemplate(c) });
    const response = sendError(c, err);
    if (response.status >= 500 && response.status !== 503) console.error('[api] unexpected error', err);
    return response;
  });
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));

  app.use('*', metrics.middleware());
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: bodyLimitFor,
      onError: (c) => {
        throw new HTTPException(413, {
          message: `request body too large (${bodyLimitFor(c.req.path) / 1024} KiB at most here)`,
        });
      },
    }),
  );
  app.use('/v1/*', refuseNulBytes);
  app.use('/v1/*', authenticate(ctx.apiKeys, ctx.operatorKey));
  app.use('/v1/*', jsonDepthLimit(MAX_JSON_DEPTH));
  if (ctx.rateLimit) app.use('/v1/*', rateLimit(ctx.rateLimit));
  app.use('/v1/*', enforcePolicies(app));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: the operator key or a workspace key from POST /v1/workspaces/{ws}/api-keys',
  });

  registerWorkspaceRoutes(app, deps);
  registerAccessRoutes(app, deps);
  registerWhoamiRoute(app);
  registerLedgerRoutes(app, deps);
  registerCatalogRoutes(app, deps);
  registerPurchaseRoutes(app, deps);
  registerBudgetRaiseRoutes(app, deps);
  registerRefundRoutes(app, deps);
  registerAutoTopUpRoutes(app, deps);
  registerBudgetRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerWebAccessRoutes(app, deps);
  registerSystemRoutes(app, deps);

  registerDocumentRoute(app, ctx.publicUrl);
  registerDocsRoutes(app);
  assertEveryRouteHasPolicy(app);
  return app;
}

function registerSystemRoutes(app: OpenAPIHono<ApiEnv>, { ctx, metrics }: RouteDeps): void {
  const Health = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['ok', 'unreachable']) });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      tags: ['System'],
      summary: 'Liveness and database reachability (no authentication)',
      security: [],
      responses: { 200: json(Health, 'Healthy'), 503: json(Health, 'The database is unreachable') },
    }),
    async (c) => {
      const ok = await databaseReachable(ctx, ctx.healthTimeoutMs ?? 1500);
      return ok
        ? c.json({ status: 'ok' as const, database: 'ok' as const }, 200)
        : c.json({ status: 'unavailable' as const, database: 'unreachable' as const }, 503);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      tags: ['System'],
      summary: 'Prometheus metrics (no authentication)',
      security: [],
      responses: {
        200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
        ...errorResponses(500),
      },
    }),
    async (c) => {
      return c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
    },
  );
}

/** Whether the body/header pair lacks a usable idempotency key (reported with the body's other fields). */
async function idempotencyKeyProblem(c: Context<ApiEnv>): Promise<FieldIssue | null> {
  const raw: unknown = await c.req.json().catch(() => undefined);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null; // the body itself is reported
  const fromBody = (raw as Record<string, unknown>).idempotencyKey;
  const fromHeader = c.req.header('idempotency-key')?.trim() || undefined;
  if (fromBody === undefined && fromHeader === undefined) {
    return { field: 'idempotencyKey', message: 'is required: in the body or in the Idempotency-Key header' };
  }
  if (typeof fromBody === 'string' && fromHeader !== undefined && fromBody.trim() !== fromHeader) {
    return {
      field: 'idempotencyKey',
      message: 'differs from the Idempotency-Key header; send one or make them equal',
    };
  }
  return null;
}

async function databaseReachable(ctx: ApiContext, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query = ctx.ledger.ping().then(
      () => true,
      () => false,
    );
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
