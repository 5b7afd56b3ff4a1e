import { createRoute, z } from '@hono/zod-openapi';
import {
  ApiKeyCreateBody,
  ApiKeyInfoSchema,
  ApiKeySchema,
  AuditEntrySchema,
  AuditQuery,
  KeyIdParam,
  WsParam,
} from '../../../contract/schemas.js';
import { channelOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const tags = ['Access'];

/** API keys (scoped, member-bound, expiring, revocable) and the audit log of who changed what. */
export function registerAccessRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const { apiKeys } = ctx;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/api-keys',
      operationId: 'createApiKey',
      tags,
      summary: 'Create a scoped API key; the secret is shown once (a key can only hand out scopes it holds)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(ApiKeyCreateBody) },
      responses: {
        201: json(ApiKeySchema, 'The key and its secret'),
        ...errorResponses(400, 401, 403, 404, 415, 503),
      },
    }),
    async (c) => {
      const created = await apiKeys.create(
        c.get('principal'),
        c.req.valid('param').ws,
        c.req.valid('json'),
        channelOf(c.get('principal')),
      );
      const { workspaceId: _w, lastUsedAt: _l, revokedAt: _r, createdByKey: _c, ...body } = created;
      return c.json(body as z.infer<typeof ApiKeySchema>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/api-keys',
      operationId: 'listApiKeys',
      tags,
      summary: 'List the workspace’s keys, without secrets',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: {
        200: json(z.object({ items: z.array(ApiKeyInfoSchema) }), 'Keys, oldest first'),
        ...errorResponses(401, 403, 404, 503),
      },
    }),
    async (c) => {
      const keys = await apiKeys.list(c.get('principal'), c.req.valid('param').ws);
      return c.json(
        {
          items: keys.map(
            ({ workspaceId: _w, createdByKey: _c, ...k }) => k as z.infer<typeof ApiKeyInfoSchema>,
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      operationId: 'revokeApiKey',
      tags,
      summary: 'Revoke a key at once, on every replica',
      security: bearer,
      request: { params: KeyIdParam },
      responses: {
        200: json(ApiKeyInfoSchema, 'The revoked key'),
        ...errorResponses(401, 403, 404, 503),
      },
    }),
    async (c) => {
      const {
        workspaceId: _w,
        createdByKey: _c,
        ...key
      } = await apiKeys.revoke(c.get('principal'), c.req.valid('param').id, channelOf(c.get('principal')));
      return c.json(key as z.infer<typeof ApiKeyInfoSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/audit',
      operationId: 'getAudit',
      tags,
      summary: 'Who changed keys, members, roles, thresholds and auto top-up, and who decided purchases',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, query: AuditQuery },
      responses: {
        200: json(
          z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
          'Newest first',
        ),
        ...errorResponses(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      await ctx.directory.workspace(ws);
      return c.json(await ctx.ledger.audit.list(ws, c.req.valid('query')), 200);
    },
  );
}
