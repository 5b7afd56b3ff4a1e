import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

/**
 * hono's bodyLimit, without its cost on the common path. hono's version first reads
 * `c.req.raw.body`, which makes @hono/node-server build a full web Request (AbortSignal,
 * ReadableStream over the socket) for every request with a body — about a third of a debit's
 * CPU in the API process. When Content-Length is given (and no Transfer-Encoding), the header
 * alone decides, exactly as hono does; otherwise hono's streaming check runs.
 */
export function bodyLimit(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const streaming = honoBodyLimit(options);
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length || '0', 10) > options.maxSize ? options.onError(c) : next();
    }
    return streaming(c, next);
  };
}
