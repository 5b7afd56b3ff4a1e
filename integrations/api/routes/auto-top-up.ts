import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditActor } from '../../../application/access.js';
import { parseAutoTopUp, policyOf, saveAutoTopUp } from '../../../application/auto-top-up.js';
import { WsParam } from '../../../contract/schemas.js';
import { type FieldIssue, isCreditsError } from '../../../ledger/errors.js';
import { type ApiEnv, channelOf, workspaceAccess } from '../auth.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses, invalid, zodIssues } from '../errors.js';
import { bearer, json, jsonBody } from './util.js';

const tags = ['Purchases'];

/** The auto top-up policy of a workspace (`settings.autoTopUp`), read and set over the API. */
export function registerAutoTopUpRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const { directory, catalog } = ctx;
  const packageKeys = catalog.packages.map((p) => p.key);

  const Policy = z
    .strictObject({
      enabled: z.boolean().openapi({ description: 'Off keeps the policy stored but never buys' }),
      below: z
        .int()
        .min(1)
        .openapi({ example: 100, description: 'Request the package when the balance falls below this' }),
      package: z.string().openapi({
        example: packageKeys[0] ?? 'small',
        description: `A package of the catalog: ${packageKeys.join(', ') || 'none'}`,
      }),
      monthlyBudget: z
        .number()
        .min(0)
        .openapi({
          example: 100,
          description: `Automatic approvals per calendar month (UTC), in ${catalog.currency}; above it the approvers are asked`,
        }),
    })
    .openapi('AutoTopUpPolicy');
  const Body = z.strictObject({ autoTopUp: Policy }).openapi('AutoTopUpRequest', {
    example: {
      autoTopUp: { enabled: true, below: 100, package: packageKeys[0] ?? 'small', monthlyBudget: 100 },
    },
  });
  const Answer = z
    .object({
      autoTopUp: Policy.nullable().openapi({ description: 'null: no policy set' }),
      currency: z.string().openapi({ example: catalog.currency }),
    })
    .openapi('AutoTopUp');

  /**
   * Bad bodies are judged by `parseAutoTopUp` (the same check the workflows apply to stored
   * settings), so every failing field is named at once, including a package the catalog lacks.
   */
  const hook = (
    result: { target: string } & ({ success: true } | { success: false; error: z.ZodError }),
    c: Context<ApiEnv>,
  ): undefined | Promise<never> => (result.success ? undefined : refuse(result.target, result.error, c));
  const refuse = async (target: string, error: z.ZodError, c: Context<ApiEnv>): Promise<never> => {
    const zod = zodIssues(error);
    if (target !== 'json') throw invalid(zod);
    const raw: unknown = await c.req.json().catch(() => undefined);
    const issues: FieldIssue[] = [];
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      for (const k of Object.keys(raw)) {
        if (k !== 'autoTopUp') issues.push({ field: k, message: 'unknown field' });
      }
      try {
        parseAutoTopUp((raw as Record<string, unknown>).autoTopUp, catalog, 'autoTopUp', ctx.autoTopUpLimits);
      } catch (err) {
        if (!isCreditsError(err)) throw err;
        issues.push(...((err.details.fields as FieldIssue[] | undefined) ?? []));
      }
    }
    throw invalid(issues.length > 0 ? issues : zod);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspaces/{ws}/auto-top-up',
      operationId: 'getAutoTopUp',
      tags,
      summary: 'The auto top-up policy (null when none is set)',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam },
      responses: { 200: json(Answer, 'The policy'), ...errorResponses(401, 404, 503) },
    }),
    async (c) => {
      const workspace = await directory.workspace(c.req.valid('param').ws);
      return c.json({ autoTopUp: policyOf(workspace.settings, catalog), currency: catalog.currency }, 200);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/workspaces/{ws}/auto-top-up',
      operationId: 'putAutoTopUp',
      tags,
      summary:
        'Set the auto top-up policy: below X request package P, approved automatically within a monthly budget',
      security: bearer,
      middleware: [workspaceAccess] as const,
      request: { params: WsParam, body: jsonBody(Body) },
      responses: {
        200: json(Answer, 'The policy now in force'),
        ...errorResponses(400, 401, 404, 415, 503),
      },
    }),
    async (c) => {
      const { ws } = c.req.valid('param');
      const autoTopUp = await saveAutoTopUp(
        { changes: ctx.ledger.changes, catalog, limits: ctx.autoTopUpLimits },
        ws,
        c.req.valid('json').autoTopUp,
        auditActor(c.get('principal'), channelOf(c.get('principal'))),
      );
      return c.json({ autoTopUp, currency: catalog.currency }, 200);
    },
    hook,
  );
}
