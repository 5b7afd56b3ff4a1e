import { createRoute } from '@hono/zod-openapi';
import { decideRaise, type RaiseDeps, requestRaise } from '../../../application/budget-raises.js';
import {
  BudgetRaiseApproveBody,
  BudgetRaiseCreateBody,
  BudgetRaiseListSchema,
  BudgetRaiseRejectBody,
  BudgetRaiseSchema,
  IdParam,
  WsParam,
} from '../../../contract/schemas.js';
import { CreditsError } from '../../../ledger/errors.js';
import { channelOf, scopeOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const tags = ['Budgets'];

/** Raises of a budget for its current period: a Temporal approval flow like a purchase's. */
export function registerBudgetRaiseRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const deps = (): RaiseDeps => ({
    raises: ctx.purchases?.raises,
    budgets: ctx.ledger.budgetRaises,
    audit: ctx.ledger.changes,
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/budgets/{id}/raises',
      operationId: 'createBudgetRaise',
      tags,
      summary: "Ask the approvers for more of a budget this period (the budget's own spender asks)",
      security: bearer,
      request: { params: IdParam, body: jsonBody(BudgetRaiseCreateBody) },
      responses: {
        201: json(BudgetRaiseSchema, 'The raise, pending approval'),
        ...errorResponses(400, 401, 403, 404, 415, 503),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const raise = await requestRaise(
        deps(),
        principal,
        c.req.valid('param').id,
        c.req.valid('json'),
        channelOf(principal),
      );
      return c.json(raise, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/budget-raises',
      operationId: 'listBudgetRaises',
      tags,
      summary: "The workspace's raises waiting for a decision, oldest first",
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: {
        200: json(BudgetRaiseListSchema, 'The pending raises'),
        ...errorResponses(401, 403, 404, 503),
      },
    }),
    // Like a single read: the rows say it all, no flow is needed.
    async (c) => c.json({ items: await ctx.ledger.budgetRaises.pending(c.req.valid('param').ws) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/budget-raises/{id}',
      operationId: 'getBudgetRaise',
      tags,
      summary: 'One budget raise and its status',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(BudgetRaiseSchema, 'The raise'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => {
      // A read needs no flow: the row says it all.
      const id = c.req.valid('param').id;
      const raise = await ctx.ledger.budgetRaises.get(id);
      const { workspaceId } = scopeOf(c.get('principal'));
      if (!raise || (workspaceId && raise.workspaceId !== workspaceId))
        throw CreditsError.notFound('raise', id);
      return c.json(raise, 200);
    },
  );

  for (const approve of [true, false]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/budget-raises/{id}/${approve ? 'approve' : 'reject'}`,
        operationId: approve ? 'approveBudgetRaise' : 'rejectBudgetRaise',
        tags,
        summary: `${approve ? 'Approve' : 'Reject'} a pending raise as the member bound to the key (the operator names \`by\`)`,
        security: bearer,
        request: {
          params: IdParam,
          body: jsonBody(approve ? BudgetRaiseApproveBody : BudgetRaiseRejectBody),
        },
        responses: {
          200: json(BudgetRaiseSchema, 'The raise'),
          ...errorResponses(400, 401, 403, 404, 409, 415, 503),
        },
      }),
      async (c) => {
        const principal = c.get('principal');
        const body = c.req.valid('json') as { by?: string; reason?: string };
        const raise = await decideRaise(
          deps(),
          principal,
          c.req.valid('param').id,
          { approve, by: body.by, reason: body.reason },
          channelOf(principal),
          scopeOf(principal),
        );
        return c.json(raise, 200);
      },
    );
  }
}
