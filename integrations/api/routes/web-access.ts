import { createRoute, z } from '@hono/zod-openapi';
import type { WebAccess } from '../../../application/web-access.js';
import {
  EmbedTokenBody,
  EmbedTokenSchema,
  LoginLinkBody,
  LoginLinkSchema,
  PurchaseSchema,
  WsParam,
} from '../../../contract/schemas.js';
import { CreditsError } from '../../../ledger/errors.js';
import { workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const PurchasesQuery = z.strictObject({
  status: z.enum(['pending_approval'], { error: 'must be pending_approval' }).optional(),
});

/** Sign-in links and embed tokens for the web console and widget; the purchase list the console shows. */
export function registerWebAccessRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const web = (): WebAccess => {
    if (!ctx.webAccess) throw new CreditsError('unavailable', 'the web console is not served by this API');
    return ctx.webAccess;
  };
  const tags = ['Access'];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/login-links',
      operationId: 'createLoginLink',
      tags,
      summary:
        'A single-use sign-in link for a member (valid 10 minutes); the caller must hold every scope of that member’s role',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(LoginLinkBody) },
      responses: { 201: json(LoginLinkSchema, 'The link'), ...errorResponses(400, 401, 403, 404, 415, 503) },
    }),
    async (c) => {
      const base = ctx.publicUrl ?? new URL(c.req.url).origin;
      const link = await web().createLoginLink(
        c.get('principal'),
        c.req.valid('param').ws,
        c.req.valid('json').memberId,
        base,
      );
      return c.json({ url: link.url, expiresAt: link.expiresAt }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/embed-tokens',
      operationId: 'createEmbedToken',
      tags,
      summary: 'A short-lived token for the embeddable balance widget (shows the balance only)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(EmbedTokenBody) },
      responses: {
        201: json(EmbedTokenSchema, 'The token'),
        ...errorResponses(400, 401, 403, 404, 415, 503),
      },
    }),
    async (c) => {
      const token = await web().createEmbedToken(
        c.get('principal'),
        c.req.valid('param').ws,
        c.req.valid('json').ttlSeconds,
      );
      return c.json(token, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/purchases',
      operationId: 'listPurchases',
      tags: ['Purchases'],
      summary:
        'The workspace’s latest 50 purchases, newest first (or those waiting for approval, oldest first)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, query: PurchasesQuery },
      responses: {
        200: json(z.object({ items: z.array(PurchaseSchema) }), 'Purchases'),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      await ctx.directory.workspace(ws);
      const store = ctx.ledger.purchases;
      const rows =
        c.req.valid('query').status === 'pending_approval' ? await store.pending(ws) : await store.recent(ws);
      // The payment reference stays inside, as in GET /v1/purchases/{id}.
      const items = rows.map(({ paymentId: _p, ...p }) => p);
      return c.json({ items: items as z.infer<typeof PurchaseSchema>[] }, 200);
    },
  );
}
