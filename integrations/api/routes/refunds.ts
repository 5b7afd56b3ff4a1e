import { createRoute } from '@hono/zod-openapi';
import { actorOf, refundPurchase, voidLot } from '../../../application/refunds.js';
import {
  IdParam,
  RefundBody,
  RefundResultSchema,
  RevenueQuery,
  RevenueReportSchema,
  VoidBody,
  VoidResultSchema,
} from '../../../contract/schemas.js';
import { parsePeriod, revenueCsv } from '../../../ledger/revenue.js';
import { channelOf, idempotent, scopeOf } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, idempotencyKey, json, jsonBody } from './util.js';

/** Refunds, voids and the revenue report (docs/revenue.md). */
export function registerRefundRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/purchases/{id}/refund',
      operationId: 'refundPurchase',
      tags: ['Purchases'],
      summary: "Refund a purchase's unused credits: voided now, their price paid back by the refund flow",
      description:
        'The operator or a `purchases:approve` key. 409 names why a purchase cannot be refunded ' +
        '(`details.reason`: not_paid, already_refunded, not_refundable, nothing_to_refund, credits_held).',
      security: bearer,
      middleware: [idempotent] as const,
      request: { params: IdParam, body: jsonBody(RefundBody) },
      responses: {
        200: json(RefundResultSchema, 'The purchase, now refunded or partially_refunded, and the refund'),
        ...errorResponses(400, 401, 403, 404, 409, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const out = await refundPurchase(
        { ledger: ctx.ledger, flows: ctx.refundFlows },
        principal,
        c.req.valid('param').id,
        { idempotencyKey: idempotencyKey(c, body.idempotencyKey), reason: body.reason },
        channelOf(principal),
        scopeOf(principal),
      );
      if (out.result.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json({ purchase: out.purchase, refund: out.refund }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/lots/{id}/void',
      operationId: 'voidLot',
      tags: ['Transactions'],
      summary: 'Void what remains of a lot (operator): a `void` entry; the money is kept (breakage)',
      security: bearer,
      middleware: [idempotent] as const,
      request: { params: IdParam, body: jsonBody(VoidBody) },
      responses: {
        200: json(VoidResultSchema, 'The void entry, what it took and the balance after'),
        ...errorResponses(400, 401, 403, 404, 409, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const { replayed, ...result } = await voidLot(
        { ledger: ctx.ledger },
        principal,
        c.req.valid('param').id,
        {
          idempotencyKey: idempotencyKey(c, body.idempotencyKey),
          reason: body.reason,
        },
        channelOf(principal),
      );
      if (replayed) c.header('Idempotent-Replayed', 'true');
      void actorOf;
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/revenue',
      operationId: 'getRevenueReport',
      tags: ['Reports'],
      summary:
        'Deferred, sold, recognized, breakage and refunded money over [from, to) (`Accept: text/csv` for CSV)',
      security: bearer,
      request: { query: RevenueQuery },
      responses: {
        200: {
          description: 'The report, in total and per workspace',
          content: {
            'application/json': { schema: RevenueReportSchema },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const period = parsePeriod(q.from, q.to);
      const report = await ctx.ledger.revenue({
        ...period,
        currency: ctx.catalog.currency,
        ...(q.workspace ? { workspaceId: q.workspace } : {}),
      });
      if ((c.req.header('accept') ?? '').includes('text/csv')) {
        return c.body(revenueCsv(report), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="revenue-${q.from}-${q.to}.csv"`,
        });
      }
      return c.json(report, 200);
    },
  );
}
