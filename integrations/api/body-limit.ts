import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { nestsDeeperThan } from '../../application/request-limits.js';
import { CreditsError } from '../../ledger/errors.js';

/**
 * hono's bodyLimit, without its cost on the common path. hono's version first reads
 * `c.req.raw.body`, which makes @hono/node-server build a full web Request (AbortSignal,
 * ReadableStream over the socket) for every request with a body — about a third of a debit's
 * CPU in the API process. When Content-Length is given (and no Transfer-Encoding), the header
 * alone decides, exactly as hono does; otherwise hono's streaming check runs.
 */
export function bodyLimit(options: {
  /** Bytes, or bytes by the request's path. */
  maxSize: number | ((path: string) => number);
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const sizeOf = typeof options.maxSize === 'number' ? () => options.maxSize as number : options.maxSize;
  const streaming = new Map<number, MiddlewareHandler>();
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const maxSize = sizeOf(c.req.path);
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length || '0', 10) > maxSize ? options.onError(c) : next();
    }
    let check = streaming.get(maxSize);
    if (!check) {
      check = honoBodyLimit({ maxSize, onError: options.onError });
      streaming.set(maxSize, check);
    }
    return check(c, next);
  };
}

/**
 * Refuses a JSON body nested deeper than `maxDepth` before anything parses it, then parses it
 * once and leaves the result where hono's `c.req.json()` finds it (the validators' read).
 */
export function jsonDepthLimit(maxDepth: number): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return next();
    if (!/json/i.test(c.req.header('content-type') ?? '')) return next();
    const text = await c.req.text();
    if (nestsDeeperThan(text, maxDepth)) {
      throw CreditsError.field('body', `nests arrays and objects more than ${maxDepth} deep`);
    }
    const parsed = (async () => JSON.parse(text))();
    parsed.catch(() => {}); // reported by the validator that reads it
    c.req.bodyCache.json = parsed;
    return next();
  };
}
