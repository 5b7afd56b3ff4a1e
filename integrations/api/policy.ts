import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { authorize, type Requirement } from '../../application/access.js';
import { API_POLICIES } from '../../application/policies.js';
import type { ApiEnv } from './auth.js';

interface Operation {
  method: string;
  pattern: RegExp;
  operationId: string;
}

/** The registered routes with their operation ids (the OpenAPI registry is the list of routes). */
export function registeredOperations(
  app: OpenAPIHono<ApiEnv>,
): { method: string; path: string; operationId: string }[] {
  const out: { method: string; path: string; operationId: string }[] = [];
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type !== 'route') continue;
    out.push({
      method: d.route.method.toUpperCase(),
      path: d.route.path,
      operationId: d.route.operationId ?? '',
    });
  }
  return out;
}

/** Throws at start-up when a route has no operation id or no entry in application/policies.ts. */
export function assertEveryRouteHasPolicy(app: OpenAPIHono<ApiEnv>): void {
  const missing = registeredOperations(app).filter((o) => !o.operationId || !(o.operationId in API_POLICIES));
  if (missing.length > 0) {
    throw new Error(
      `routes without an access policy in application/policies.ts: ${missing.map((o) => `${o.method} ${o.path} (${o.operationId || 'no operationId'})`).join(', ')}`,
    );
  }
}

export function policyOf(operationId: string): Requirement {
  const policy = API_POLICIES[operationId];
  if (!policy) throw new Error(`no access policy for ${operationId}`);
  return policy;
}

/**
 * Authorises every /v1 request against the policy of the operation it reaches, before the route's
 * own checks (workspace confinement, idempotency) run. 403 names the missing scope.
 */
export function enforcePolicies(app: OpenAPIHono<ApiEnv>): MiddlewareHandler<ApiEnv> {
  let table: { byRoute: Map<string, string>; operations: Operation[] } | null = null;
  const tables = () => {
    if (table) return table;
    const registered = registeredOperations(app);
    table = {
      // Keyed as hono registers the route ({ws} becomes :ws).
      byRoute: new Map(
        registered.map((o) => [`${o.method} ${o.path.replace(/\{([^}]+)\}/g, ':$1')}`, o.operationId]),
      ),
      operations: registered.map((o) => ({
        method: o.method,
        operationId: o.operationId,
        pattern: new RegExp(
          `^${o.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
        ),
      })),
    };
    return table;
  };
  return async (c, next) => {
    const { byRoute, operations } = tables();
    // The router has already matched: the first matched route of an operation is the one that
    // answers. The pattern search (the same answer, slower) covers anything the router left out.
    let operationId: string | undefined;
    for (const route of matchedRoutes(c)) {
      operationId = byRoute.get(`${route.method} ${route.path}`);
      if (operationId) break;
    }
    if (!operationId) {
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      operationId = operations.find((o) => o.method === method && o.pattern.test(c.req.path))?.operationId;
    }
    if (operationId) authorize(c.get('principal'), policyOf(operationId));
    return next();
  };
}
