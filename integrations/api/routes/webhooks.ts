import { createRoute, z } from '@hono/zod-openapi';
import { auditActor } from '../../../application/access.js';
import { WsParam } from '../../../contract/schemas.js';
import { CreditsError } from '../../../ledger/errors.js';
import {
  DEFAULT_ROTATION_GRACE_SECONDS,
  MAX_ROTATION_GRACE_SECONDS,
  WEBHOOK_EVENT_TYPES,
} from '../../../ledger/stores/webhooks.js';
import { workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const tags = ['Webhooks'];
const path = '/v1/workspaces/{ws}/webhook';

const EventType = z.enum(WEBHOOK_EVENT_TYPES, {
  error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
});

const Endpoint = z
  .object({
    workspaceId: z.string().openapi({ example: 'acme' }),
    url: z.string().openapi({ example: 'https://n8n.example.org/webhook/3f1c…/credits' }),
    events: z
      .array(EventType)
      .nullable()
      .openapi({ description: 'The event types sent; null: every type', example: ['alert.low'] }),
    createdAt: z.string().openapi({ example: '2026-12-01T09:00:00.000Z' }),
    updatedAt: z.string().openapi({ example: '2026-12-01T09:00:00.000Z' }),
    rotatedAt: z.string().nullable().openapi({ description: 'When the secret was last rotated' }),
    previousSecretExpiresAt: z.string().nullable().openapi({
      description:
        'Until when the secret replaced by the last rotation still signs (null: it no longer does)',
    }),
  })
  .openapi('WebhookEndpoint');

const Secret = z.string().openapi({
  description:
    'The signing secret (Standard Webhooks `whsec_<base64>`). Shown only here: store it in the receiver now',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
});

const PutBody = z
  .strictObject({
    url: z.string().max(2048).openapi({
      description: 'Where events are POSTed (http:// or https://)',
      example: 'https://example.org/hook',
    }),
    events: z
      .array(EventType)
      .min(1, { error: 'must name at least one event type (omit it for all)' })
      .optional()
      .openapi({ description: 'Only these event types; omit for every type' }),
  })
  .openapi('WebhookRequest');

const PutAnswer = Endpoint.extend({
  created: z.boolean().openapi({ description: 'true when this request created the endpoint' }),
  secret: Secret.optional().openapi({ description: 'Only when created: the signing secret, shown once' }),
}).openapi('WebhookSaved');

const RotateBody = z
  .strictObject({
    graceSeconds: z
      .int({ error: 'must be a whole number of seconds' })
      .min(0)
      .max(MAX_ROTATION_GRACE_SECONDS)
      .optional()
      .openapi({
        description: `How long the replaced secret keeps signing next to the new one (default ${DEFAULT_ROTATION_GRACE_SECONDS}; 0 stops it at once, e.g. after a leak)`,
        example: DEFAULT_ROTATION_GRACE_SECONDS,
      }),
  })
  .openapi('WebhookRotateRequest');

const RotateAnswer = Endpoint.extend({ secret: Secret }).openapi('WebhookRotated');

/**
 * Each workspace's signed webhook endpoint, set by the operator. Secrets leave the server only in
 * the answers of creation and rotation.
 */
export function registerWebhookRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const webhooks = ctx.ledger.webhooks;

  app.openapi(
    createRoute({
      method: 'get',
      path,
      operationId: 'getWebhook',
      tags,
      summary: "The workspace's webhook endpoint, without its secret (operator)",
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 200: json(Endpoint, 'The endpoint'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      await ctx.directory.workspace(ws);
      const endpoint = await webhooks.get(ws);
      if (!endpoint)
        throw new CreditsError('not_found', `workspace ${JSON.stringify(ws)} has no webhook`, { ws });
      return c.json(endpoint, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path,
      operationId: 'putWebhook',
      tags,
      summary: 'Set where the workspace’s events go; a new endpoint gets its secret, shown once (operator)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(PutBody) },
      responses: {
        200: json(PutAnswer, 'The endpoint, with the secret when it was created'),
        ...errorResponses(400, 401, 404, 415, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      const body = c.req.valid('json');
      const saved = await webhooks.put(ws, body, auditActor(c.get('principal'), 'api'));
      return c.json(
        { ...saved.endpoint, created: saved.created, ...(saved.secret ? { secret: saved.secret } : {}) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${path}/rotate`,
      operationId: 'rotateWebhookSecret',
      tags,
      summary: 'Replace the signing secret; the previous one keeps signing during a grace period (operator)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: {
        params: WsParam,
        body: { required: false, content: { 'application/json': { schema: RotateBody } } },
      },
      responses: {
        200: json(RotateAnswer, 'The endpoint and its new secret, shown once'),
        ...errorResponses(400, 401, 404, 415, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      const body = (c.req.valid('json') as z.infer<typeof RotateBody> | undefined) ?? {};
      const rotated = await webhooks.rotate(ws, body, auditActor(c.get('principal'), 'api'));
      return c.json({ ...rotated.endpoint, secret: rotated.secret }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path,
      operationId: 'deleteWebhook',
      tags,
      summary: 'Stop sending the workspace’s events: removes the endpoint and its secrets (operator)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 204: { description: 'Removed' }, ...errorResponses(401, 404, 503) },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      await ctx.directory.workspace(ws);
      const removed = await webhooks.remove(ws, auditActor(c.get('principal'), 'api'));
      if (!removed)
        throw new CreditsError('not_found', `workspace ${JSON.stringify(ws)} has no webhook`, { ws });
      return c.body(null, 204);
    },
  );
}
