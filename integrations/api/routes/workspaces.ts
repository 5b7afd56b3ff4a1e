import { createRoute, z } from '@hono/zod-openapi';
import { auditActor } from '../../../application/access.js';
import { AlertSettings } from '../../../application/alert-settings.js';
import { saveMember } from '../../../application/members.js';
import {
  AlertsBody,
  AlertsSchema,
  ChatLinkCreateBody,
  ChatLinkSchema,
  MemberCreateBody,
  MemberSchema,
  WorkspaceCreateBody,
  WorkspacePatchBody,
  WorkspaceSchema,
  WsParam,
} from '../../../contract/schemas.js';
import { thresholdsFor } from '../../../ledger/alerts.js';
import { channelOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const tags = ['Workspaces'];

/** Workspaces, members, chat links and alert thresholds. */
export function registerWorkspaceRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const { directory } = ctx;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces',
      operationId: 'createWorkspace',
      tags,
      summary: 'Create a workspace (operator)',
      security: bearer,
      request: { body: jsonBody(WorkspaceCreateBody) },
      responses: {
        201: json(WorkspaceSchema, 'The new workspace'),
        ...errorResponses(400, 401, 403, 409, 415, 503),
      },
    }),
    async (c) => {
      const workspace = await directory.createWorkspace(c.req.valid('json'));
      await followLifecycle(() => ctx.lifecycle?.onWorkspaceCreated(workspace));
      return c.json(workspace, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces',
      operationId: 'listWorkspaces',
      tags,
      summary: 'List workspaces (operator)',
      security: bearer,
      responses: {
        200: json(z.object({ items: z.array(WorkspaceSchema) }), 'All workspaces'),
        ...errorResponses(401, 403, 503),
      },
    }),
    async (c) => c.json({ items: await directory.listWorkspaces() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}',
      operationId: 'getWorkspace',
      tags,
      summary: 'Get a workspace',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 200: json(WorkspaceSchema, 'The workspace'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => c.json(await directory.workspace(c.req.valid('param').ws), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/workspaces/{ws}',
      operationId: 'updateWorkspace',
      tags,
      summary: 'Change plan, subscription status or name (operator)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(WorkspacePatchBody) },
      responses: {
        200: json(WorkspaceSchema, 'The updated workspace'),
        ...errorResponses(400, 401, 403, 404, 415, 503),
      },
    }),
    async (c) => {
      const patch = c.req.valid('json');
      const workspace = await directory.updateWorkspace(c.req.valid('param').ws, patch);
      await followLifecycle(() => ctx.lifecycle?.onWorkspaceUpdated(workspace, patch));
      return c.json(workspace, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/members',
      operationId: 'createMember',
      tags,
      summary: 'Add (or update) a member; audited (members:manage)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(MemberCreateBody) },
      responses: {
        201: json(MemberSchema, 'The member'),
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
    }),
    async (c) =>
      c.json(
        await saveMember(
          { directory, changes: ctx.ledger.changes, lifecycle: ctx.lifecycle },
          c.get('principal'),
          c.req.valid('param').ws,
          c.req.valid('json'),
          channelOf(c.get('principal')),
        ),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/members',
      operationId: 'listMembers',
      tags,
      summary: 'List members',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: {
        200: json(z.object({ items: z.array(MemberSchema) }), 'Members by id'),
        ...errorResponses(401, 404, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      await directory.workspace(ws);
      return c.json({ items: await directory.members(ws) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces/{ws}/chat-links',
      operationId: 'createChatLink',
      tags,
      summary: 'Link a Slack team / Discord guild (or one channel) to the workspace (operator)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(ChatLinkCreateBody) },
      responses: { 201: json(ChatLinkSchema, 'The link'), ...errorResponses(400, 401, 403, 404, 415, 503) },
    }),
    async (c) => c.json(await directory.linkChat(c.req.valid('param').ws, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/chat-links',
      operationId: 'listChatLinks',
      tags,
      summary: 'List chat links',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: {
        200: json(z.object({ items: z.array(ChatLinkSchema) }), 'Chat links'),
        ...errorResponses(401, 404, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      await directory.workspace(ws);
      return c.json({ items: await directory.chatLinks(ws) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/alerts',
      operationId: 'getAlerts',
      tags,
      summary: 'Balance alert thresholds (`depleted` at 0 is implicit)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 200: json(AlertsSchema, 'Thresholds'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => {
      const workspace = await directory.workspace(c.req.valid('param').ws);
      return c.json({ thresholds: thresholdsFor(workspace.settings, ctx.catalog.alerts) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/workspaces/{ws}/alerts',
      operationId: 'putAlerts',
      tags,
      summary: 'Set balance alert thresholds (low > critical ≥ 0)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(AlertsBody) },
      responses: {
        200: json(AlertsSchema, 'Thresholds now in force'),
        ...errorResponses(400, 401, 404, 415, 503),
      },
    }),
    async (c) => {
      const { thresholds } = c.req.valid('json');
      const settings = new AlertSettings({
        directory,
        changes: ctx.ledger.changes,
        defaults: ctx.catalog.alerts,
      });
      const by = auditActor(c.get('principal'), channelOf(c.get('principal')));
      return c.json({ thresholds: await settings.set(c.req.valid('param').ws, thresholds, by) }, 200);
    },
  );
}

/**
 * The change is committed whatever Temporal says: a flow that cannot be started now is started by
 * the worker's reconciliation (at its start), so the request still succeeds.
 */
async function followLifecycle(call: () => Promise<void> | undefined): Promise<void> {
  try {
    await call();
  } catch (err) {
    console.error('subscription lifecycle not updated (the worker reconciles it):', err);
  }
}
