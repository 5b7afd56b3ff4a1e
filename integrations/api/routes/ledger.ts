import { createRoute, z } from '@hono/zod-openapi';
import {
  AdjustBody,
  BalanceSchema,
  CaptureBody,
  CaptureResultSchema,
  DebitBody,
  GrantBody,
  GrantResultSchema,
  HoldBody,
  HoldResultSchema,
  HoldSchema,
  IdempotencyHeaders,
  IdParam,
  LotSchema,
  ReleaseResultSchema,
  ReverseBody,
  TransactionPageSchema,
  TransactionSchema,
  TransactionsQuery,
  UsageQuery,
  UsageSchema,
  WriteResultSchema,
  WsParam,
} from '../../../contract/schemas.js';
import { idempotent, scopeOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { actorOf, bearer, idempotencyKey, json, jsonBody, replayAware, spenderOf } from './util.js';

const REPLAY_HEADER = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored result of an earlier identical request',
    schema: { type: 'string' as const },
  },
};

/** Balances, debits, grants, adjustments, reversals, holds and history. */
export function registerLedgerRoutes(app: ApiApp, { ctx, metrics }: RouteDeps): void {
  const { ledger, reports } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/balance',
      operationId: 'getBalance',
      tags: ['Balance'],
      summary: 'Balance: total, by type, next expiry, renewal, lifetime used, last transaction',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 200: json(BalanceSchema, 'The balance'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => c.json(await ledger.balance(c.req.valid('param').ws), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/lots',
      operationId: 'listLots',
      tags: ['Balance'],
      summary: 'Lots that still hold credits, in consumption order',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: {
        200: json(z.object({ items: z.array(LotSchema) }), 'Lots'),
        ...errorResponses(401, 404, 503),
      },
    }),
    async (c) => c.json({ items: await ledger.lots(c.req.valid('param').ws) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/debits',
      operationId: 'createDebit',
      tags: ['Debits'],
      summary: 'Consume credits (an amount, or an operation priced by the catalog), all or nothing',
      security: bearer,
      middleware: [workspaceAccess, idempotent] as const,
      request: { params: WsParam, headers: IdempotencyHeaders, body: jsonBody(DebitBody) },
      responses: {
        201: { ...json(WriteResultSchema, 'The debit and the balance after'), headers: REPLAY_HEADER },
        ...errorResponses(400, 401, 402, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      const body = c.req.valid('json');
      const result = await ledger.debit(ws, {
        ...body,
        idempotencyKey: idempotencyKey(c, body.idempotencyKey),
        actor: actorOf(c, body.actor),
        spender: spenderOf(c.get('principal')),
      });
      if (!result.replayed) {
        metrics.debits.inc({ source: result.transaction.source });
        metrics.debitedCredits.inc(result.transaction.amount);
      }
      return c.json(replayAware(c, result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/grants',
      operationId: 'createGrant',
      tags: ['Grants'],
      summary: 'Grant credits as a new lot (operator)',
      security: bearer,
      middleware: [workspaceAccess, idempotent] as const,
      request: { params: WsParam, headers: IdempotencyHeaders, body: jsonBody(GrantBody) },
      responses: {
        201: {
          ...json(GrantResultSchema, 'The lot, its journal entry and the balance after'),
          headers: REPLAY_HEADER,
        },
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await ledger.grant(c.req.valid('param').ws, {
        ...body,
        idempotencyKey: idempotencyKey(c, body.idempotencyKey),
        actor: actorOf(c, body.actor),
      });
      return c.json(replayAware(c, result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/adjustments',
      operationId: 'createAdjustment',
      tags: ['Grants'],
      summary: 'Operator correction with a reason: > 0 adds a lot, < 0 removes credits (operator)',
      security: bearer,
      middleware: [workspaceAccess, idempotent] as const,
      request: { params: WsParam, headers: IdempotencyHeaders, body: jsonBody(AdjustBody) },
      responses: {
        201: { ...json(WriteResultSchema, 'The adjust entry and the balance after'), headers: REPLAY_HEADER },
        ...errorResponses(400, 401, 402, 403, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await ledger.adjust(c.req.valid('param').ws, {
        ...body,
        source: body.source ?? 'api',
        idempotencyKey: idempotencyKey(c, body.idempotencyKey),
        actor: actorOf(c, body.actor),
      });
      return c.json(replayAware(c, result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/transactions/{id}',
      operationId: 'getTransaction',
      tags: ['Transactions'],
      summary: 'One journal entry',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(TransactionSchema, 'The entry'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => c.json(await ledger.transaction(c.req.valid('param').id, scopeOf(c.get('principal'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/transactions/{id}/reverse',
      operationId: 'reverseTransaction',
      tags: ['Transactions'],
      summary: 'Refund a debit (all that is left, or `amount`) into the lots it came from',
      security: bearer,
      middleware: [idempotent] as const,
      request: { params: IdParam, headers: IdempotencyHeaders, body: jsonBody(ReverseBody) },
      responses: {
        201: {
          ...json(WriteResultSchema, 'The reverse entry and the balance after'),
          headers: REPLAY_HEADER,
        },
        ...errorResponses(400, 401, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await ledger.reverse(
        c.req.valid('param').id,
        { ...body, idempotencyKey: idempotencyKey(c, body.idempotencyKey), actor: actorOf(c, body.actor) },
        scopeOf(c.get('principal')),
      );
      return c.json(replayAware(c, result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/transactions',
      operationId: 'listTransactions',
      tags: ['Transactions'],
      summary: 'Journal, newest first; filters and cursor pagination',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, query: TransactionsQuery },
      responses: {
        200: json(TransactionPageSchema, 'A page of entries'),
        ...errorResponses(400, 401, 404, 503),
      },
    }),
    async (c) => c.json(await reports.transactions(c.req.valid('param').ws, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/usage',
      operationId: 'getUsage',
      tags: ['Transactions'],
      summary: 'Credits used (debits minus their reversals), grouped by operation, actor or day',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, query: UsageQuery },
      responses: { 200: json(UsageSchema, 'Usage'), ...errorResponses(400, 401, 404, 503) },
    }),
    async (c) => c.json(await reports.usage(c.req.valid('param').ws, c.req.valid('query')), 200),
  );

  // ---------------------------------------------------------------- holds

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/holds',
      operationId: 'createHold',
      tags: ['Holds'],
      summary: 'Reserve credits until capture, release or timeout',
      security: bearer,
      middleware: [workspaceAccess, idempotent] as const,
      request: { params: WsParam, headers: IdempotencyHeaders, body: jsonBody(HoldBody) },
      responses: {
        201: { ...json(HoldResultSchema, 'The hold (and the balance after)'), headers: REPLAY_HEADER },
        ...errorResponses(400, 401, 402, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await ledger.placeHold(c.req.valid('param').ws, {
        ...body,
        idempotencyKey: idempotencyKey(c, body.idempotencyKey),
        actor: actorOf(c, body.actor),
        spender: spenderOf(c.get('principal')),
      });
      const { hold, balance } = replayAware(c, result);
      return c.json({ ...hold, balance }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/holds/{id}',
      operationId: 'getHold',
      tags: ['Holds'],
      summary: 'One hold',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(HoldSchema, 'The hold'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => c.json(await ledger.hold(c.req.valid('param').id, scopeOf(c.get('principal'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/holds/{id}/capture',
      operationId: 'captureHold',
      tags: ['Holds'],
      summary: 'Debit up to the held amount; the rest returns',
      security: bearer,
      middleware: [idempotent] as const,
      request: { params: IdParam, headers: IdempotencyHeaders, body: jsonBody(CaptureBody) },
      responses: {
        201: {
          ...json(CaptureResultSchema, 'The captured hold, its debit and the balance after'),
          headers: REPLAY_HEADER,
        },
        ...errorResponses(400, 401, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await ledger.capture(
        c.req.valid('param').id,
        { ...body, idempotencyKey: idempotencyKey(c, body.idempotencyKey), actor: body.actor ?? undefined },
        scopeOf(c.get('principal')),
      );
      if (!result.replayed) {
        metrics.debits.inc({ source: result.transaction.source });
        metrics.debitedCredits.inc(result.transaction.amount);
      }
      return c.json(replayAware(c, result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/holds/{id}/release',
      operationId: 'releaseHold',
      tags: ['Holds'],
      summary: 'Give all held credits back (no-op on a released or timed-out hold)',
      security: bearer,
      request: { params: IdParam },
      responses: {
        200: json(ReleaseResultSchema, 'The released hold and the balance'),
        ...errorResponses(401, 404, 409, 503),
      },
    }),
    async (c) => {
      const result = await ledger.release(c.req.valid('param').id, scopeOf(c.get('principal')));
      return c.json(replayAware(c, result), 200);
    },
  );
}
