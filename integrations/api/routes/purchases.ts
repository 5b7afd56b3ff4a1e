import { createRoute } from '@hono/zod-openapi';
import { decidePurchase, type Purchases, requesterOf } from '../../../application/purchases.js';
import {
  IdempotencyHeaders,
  IdParam,
  PurchaseApproveBody,
  PurchaseCreateBody,
  PurchaseRejectBody,
  PurchaseSchema,
  WsParam,
} from '../../../contract/schemas.js';
import { CreditsError } from '../../../ledger/errors.js';
import { channelOf, scopeOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, idempotencyKey, json, jsonBody } from './util.js';

const tags = ['Purchases'];

/** Credit-package purchases; the flow itself lives in the Temporal worker (`ApiContext.purchases`). */
export function registerPurchaseRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const service = (): Purchases => {
    if (!ctx.purchases) {
      throw new CreditsError(
        'unavailable',
        'purchases need the Temporal worker, which is not connected to this API',
        {
          service: 'purchases',
        },
      );
    }
    return ctx.purchases;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/purchases',
      operationId: 'createPurchase',
      tags,
      summary: 'Request a credit package: starts the approval → payment → grant flow',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, headers: IdempotencyHeaders, body: jsonBody(PurchaseCreateBody) },
      responses: {
        201: json(PurchaseSchema, 'The purchase request'),
        200: json(PurchaseSchema, 'The purchase first requested with this idempotency key'),
        ...errorResponses(400, 401, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const purchases = service();
      const key = body.idempotencyKey ?? (c.req.header('idempotency-key')?.trim() || undefined);
      const purchase = await purchases.request(c.req.valid('param').ws, {
        package: body.package,
        requestedBy: requesterOf(c.get('principal'), body.requestedBy),
        source: body.source ?? 'api',
        ...(key === undefined ? {} : { idempotencyKey: idempotencyKey(c, body.idempotencyKey) }),
      });
      if (purchase.replayed) {
        const { replayed: _r, ...first } = purchase;
        c.header('Idempotent-Replayed', 'true');
        c.set('replayed', true);
        return c.json(first, 200);
      }
      return c.json(purchase, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/purchases/{id}',
      operationId: 'getPurchase',
      tags,
      summary: 'One purchase and its status',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(PurchaseSchema, 'The purchase'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => c.json(await service().get(c.req.valid('param').id, scopeOf(c.get('principal'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/purchases/{id}/approve',
      operationId: 'approvePurchase',
      tags,
      summary: 'Approve a pending purchase as the member bound to the key (the operator names `by`)',
      security: bearer,
      request: { params: IdParam, body: jsonBody(PurchaseApproveBody) },
      responses: {
        200: json(PurchaseSchema, 'The purchase'),
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const purchase = await decidePurchase(
        { purchases: service(), audit: ctx.ledger.changes },
        principal,
        c.req.valid('param').id,
        { approve: true, by: c.req.valid('json').by },
        channelOf(c.get('principal')),
        scopeOf(principal),
      );
      return c.json(purchase, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/purchases/{id}/reject',
      operationId: 'rejectPurchase',
      tags,
      summary: 'Reject a pending purchase as the member bound to the key (the operator names `by`)',
      security: bearer,
      request: { params: IdParam, body: jsonBody(PurchaseRejectBody) },
      responses: {
        200: json(PurchaseSchema, 'The purchase'),
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { by, reason } = c.req.valid('json');
      const purchase = await decidePurchase(
        { purchases: service(), audit: ctx.ledger.changes },
        principal,
        c.req.valid('param').id,
        { approve: false, by, reason },
        channelOf(c.get('principal')),
        scopeOf(principal),
      );
      return c.json(purchase, 200);
    },
  );
}
