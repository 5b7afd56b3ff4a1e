import { createRoute } from '@hono/zod-openapi';
import {
  AffordabilityQuery,
  AffordabilitySchema,
  CatalogSchema,
  EstimateBody,
  EstimateSchema,
  WsParam,
} from '../../../contract/schemas.js';
import { catalogSummary } from '../../../ledger/catalog/index.js';
import { affordableCount, estimate } from '../../../ledger/estimate.js';
import { workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

/** The catalog, estimates and "how many more can we afford". */
export function registerCatalogRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const summary = catalogSummary(ctx.catalog);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/catalog',
      operationId: 'getCatalog',
      tags: ['Catalog'],
      summary: 'Plans, packages and operation costs',
      security: bearer,
      responses: { 200: json(CatalogSchema, 'The catalog in force'), ...errorResponses(401) },
    }),
    (c) => c.json(summary, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/estimates',
      operationId: 'createEstimate',
      tags: ['Catalog'],
      summary: 'Estimate items or a campaign against the current balance: range, breakdown, alternatives',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(EstimateBody) },
      responses: { 200: json(EstimateSchema, 'The estimate'), ...errorResponses(400, 401, 404, 415, 503) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const balance = await ctx.ledger.balance(c.req.valid('param').ws);
      const request = body.campaign !== undefined ? { campaign: body.campaign } : { items: body.items ?? [] };
      return c.json(estimate(ctx.catalog, request, balance.total), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/affordability',
      operationId: 'getAffordability',
      tags: ['Catalog'],
      summary: 'How many more of one operation the balance covers (`?operation=image&model=flux-2-pro`)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, query: AffordabilityQuery },
      responses: { 200: json(AffordabilitySchema, 'Counts'), ...errorResponses(400, 401, 404, 503) },
    }),
    async (c) => {
      const { operation, ...rest } = c.req.valid('query');
      const params = Object.fromEntries(
        Object.entries(rest).map(([k, v]) => [k, /^\d{1,15}$/.test(v as string) ? Number(v) : v]),
      );
      const balance = await ctx.ledger.balance(c.req.valid('param').ws);
      const count = affordableCount(ctx.catalog, { operation, params }, balance.total);
      return c.json({ ...count, balance: balance.total }, 200);
    },
  );
}
