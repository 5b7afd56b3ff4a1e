import { createRoute, z } from '@hono/zod-openapi';
import { auditActor } from '../../../application/access.js';
import {
  createBudget,
  deleteBudget,
  getBudget,
  listBudgets,
  updateBudget,
} from '../../../application/budgets.js';
import {
  BudgetCreateBody,
  BudgetListSchema,
  BudgetPatchBody,
  BudgetSchema,
  WsParam,
} from '../../../contract/schemas.js';
import { channelOf, scopeOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const tags = ['Budgets'];
const BudgetIdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'bud_8c1f0a9e2b7d4c61' }),
});

/** Budgets inside the shared pool: set with settings:write, read with balance:read. */
export function registerBudgetRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const by = (c: { get(k: 'principal'): Parameters<typeof channelOf>[0] }) =>
    auditActor(c.get('principal'), channelOf(c.get('principal')));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/budgets',
      operationId: 'createBudget',
      tags,
      summary: 'Limit what a member, an API key, an actor or an operation may spend per period',
      description:
        'A debit, hold or capture that would take any matching budget past its limit is refused with ' +
        '402 `budget_exceeded`. A budget counts what is spent from its creation on.',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(BudgetCreateBody) },
      responses: {
        201: json(BudgetSchema, 'The budget and its current period'),
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const budget = await createBudget(ctx, c.req.valid('param').ws, c.req.valid('json'), by(c));
      return c.json(budget, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/budgets',
      operationId: 'listBudgets',
      tags,
      summary: "The workspace's budgets with what each has used this period",
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 200: json(BudgetListSchema, 'The budgets'), ...errorResponses(401, 403, 404, 503) },
    }),
    async (c) => c.json({ items: await listBudgets(ctx, c.req.valid('param').ws) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/budgets/{id}',
      operationId: 'getBudget',
      tags,
      summary: 'One budget with what it has used this period',
      security: bearer,
      request: { params: BudgetIdParam },
      responses: { 200: json(BudgetSchema, 'The budget'), ...errorResponses(401, 403, 404, 503) },
    }),
    async (c) => c.json(await getBudget(ctx, c.req.valid('param').id, scopeOf(c.get('principal'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/budgets/{id}',
      operationId: 'updateBudget',
      tags,
      summary: "Change a budget's period, limit or cap per debit",
      security: bearer,
      request: { params: BudgetIdParam, body: jsonBody(BudgetPatchBody) },
      responses: {
        200: json(BudgetSchema, 'The budget as changed'),
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
    }),
    async (c) => {
      const budget = await updateBudget(
        ctx,
        c.req.valid('param').id,
        c.req.valid('json'),
        by(c),
        scopeOf(c.get('principal')),
      );
      return c.json(budget, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/budgets/{id}',
      operationId: 'deleteBudget',
      tags,
      summary: 'Remove a budget (what it counted stays in the journal)',
      security: bearer,
      request: { params: BudgetIdParam },
      responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404, 503) },
    }),
    async (c) => {
      await deleteBudget(ctx, c.req.valid('param').id, by(c), scopeOf(c.get('principal')));
      return c.body(null, 204);
    },
  );
}
