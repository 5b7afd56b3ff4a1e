import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { IdempotencyHeaders, IdParam, WsParam } from '../../contract/schemas.js';
import type { ApiEnv } from './auth.js';
import { invalid, zodIssues } from './errors.js';

const IdempotencyHeader = IdempotencyHeaders.shape['idempotency-key'];

/** What `IdempotencyHeaders` checks, on the one header it declares (same issue, same field name). */
const checkIdempotencyHeader: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const value = c.req.header('idempotency-key');
  if (value !== undefined) {
    const result = IdempotencyHeader.safeParse(value);
    if (!result.success) throw invalid(zodIssues(result.error, 'Idempotency-Key'));
  }
  return next();
};

/** The path parameters of `WsParam`/`IdParam`: plain strings the router has already matched. */
function pathParams(keys: string[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const value: Record<string, string> = {};
    for (const key of keys) value[key] = c.req.param(key) as string;
    c.req.addValidatedData('param', value);
    return next();
  };
}

/**
 * zod-openapi validates each declared part of a request in its own middleware: an async zod
 * parse, the hook, and for headers a copy of every header into an object. For two parts that is
 * most of the cost and none of the checking: `{ws}` and `{id}` are strings that cannot fail, and
 * `Idempotency-Key` is the only header declared. Routes declaring them are still described by
 * their full route (the OpenAPI document does not change) but those two parts are checked inline,
 * with the same answers: the header's issue is reported as before, before the body is read, and
 * `c.req.valid('param')` holds the same object. Call before registering routes.
 */
export function leanValidation(app: OpenAPIHono<ApiEnv>): void {
  const register = app.openapi;
  app.openapi = ((config, handler, hook) => {
    const { middleware, hide, ...route } = config;
    const request = route.request;
    const leanParams = request?.params === WsParam || request?.params === IdParam;
    // Inline, the header is checked before any query: only where there is no query to keep the order.
    const leanHeaders = request?.headers === IdempotencyHeaders && !request?.query;
    if (hide || !request || (!leanParams && !leanHeaders)) return register(config, handler, hook);
    app.openAPIRegistry.registerPath(route);
    const inline = middleware ? (Array.isArray(middleware) ? [...middleware] : [middleware]) : [];
    if (leanParams) inline.push(pathParams(Object.keys((request.params as typeof WsParam).shape)));
    if (leanHeaders) inline.push(checkIdempotencyHeader);
    return register(
      {
        ...route,
        hide: true,
        middleware: inline,
        request: {
          ...request,
          params: leanParams ? undefined : request.params,
          headers: leanHeaders ? undefined : request.headers,
        },
      },
      handler,
      hook,
    );
  }) as typeof app.openapi;
}
