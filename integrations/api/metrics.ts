import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry } from 'prom-client';

/** One registry per app, so several apps in one process (tests) never share counters. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'credits_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'credits_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly debits = new Counter({
    name: 'credits_debits_total',
    help: 'Debits committed (replays excluded), by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly debitedCredits = new Counter({
    name: 'credits_debited_credits_total',
    help: 'Credits consumed by committed debits (replays excluded)',
    registers: [this.registry],
  });
  readonly insufficient = new Counter({
    name: 'credits_insufficient_credits_total',
    help: 'Writes refused with insufficient_credits, by route template',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly replays = new Counter({
    name: 'credits_idempotent_replays_total',
    help: 'Idempotent replays answered with the stored first result, by route template',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  /** Counts every request under the template of the route that answered it (`/v1/holds/:id`). */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const end = process.hrtime.bigint();
      await next();
      const seconds = Number(process.hrtime.bigint() - end) / 1e9;
      const template = routeTemplate(c);
      const labels = { method: c.req.method, route: template, status: String(c.res.status) };
      this.requests.inc(labels);
      this.latency.observe(labels, seconds);
      // Set by replayAware with the Idempotent-Replayed header; reading the header back would make
      // @hono/node-server build a Headers object for every response.
      if (c.get('replayed') === true) this.replays.inc({ route: template });
    };
  }
}

export function routeTemplate(c: Parameters<MiddlewareHandler>[0]): string {
  const path = routePath(c, -1);
  return !path || path === '*' || path.endsWith('/*') ? 'unmatched' : path;
}
