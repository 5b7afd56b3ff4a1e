import { createRoute, type z } from '@hono/zod-openapi';
import { type Principal, scopesOf, workspaceOf } from '../../../application/access.js';
import { WhoamiSchema } from '../../../contract/schemas.js';
import type { ApiApp } from '../context.js';
import { errorResponses } from '../errors.js';
import { bearer, json } from './util.js';

/** What the calling key is: clients (the MCP stdio server) learn their workspace from it. */
export function whoami(principal: Principal): z.infer<typeof WhoamiSchema> {
  return {
    workspaceId: workspaceOf(principal),
    scopes: [...scopesOf(principal)],
    memberId: principal.kind === 'operator' ? null : principal.memberId,
    keyId: principal.kind === 'member' ? null : principal.keyId,
  };
}

export function registerWhoamiRoute(app: ApiApp): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/whoami',
      operationId: 'getWhoami',
      tags: ['Access'],
      summary: 'The calling key: its workspace, scopes, member and id',
      security: bearer,
      responses: { 200: json(WhoamiSchema, 'The calling key'), ...errorResponses(401) },
    }),
    (c) => c.json(whoami(c.get('principal')), 200),
  );
}
