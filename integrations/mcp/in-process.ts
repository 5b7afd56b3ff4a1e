import { actorOf, authorize, type Principal, spenderOf } from '../../application/access.js';
import { requestRaise } from '../../application/budget-raises.js';
import { listBudgets } from '../../application/budgets.js';
import { MCP_TOOL_POLICIES } from '../../application/policies.js';
import { type Purchases, requesterOf } from '../../application/purchases.js';
import type { CoreServices } from '../../application/services.js';
import { catalogSummary } from '../../ledger/catalog/index.js';
import { CreditsError } from '../../ledger/errors.js';
import { estimate } from '../../ledger/estimate.js';
import type { CreditsGateway, Json } from './gateway.js';

export interface InProcessDeps extends CoreServices {
  /** The purchase port; request_purchase answers `unavailable` without it, as the API does. */
  purchases?: Purchases;
}

/** As the API's JSON answer would carry it (dates as ISO strings, no `undefined`). */
const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

function withoutReplayed<T extends { replayed: boolean }>(result: T): Omit<T, 'replayed'> {
  const { replayed: _replayed, ...rest } = result;
  return rest;
}

/**
 * The tools against the application services, as `principal` (authenticated from the Bearer key
 * of `/mcp`): each tool is authorised by MCP_TOOL_POLICIES, a workspace key sees only its own
 * workspace (anything else is "not found", as in the API), ids are looked up within it.
 */
export function inProcessGateway(deps: InProcessDeps, principal: Principal): CreditsGateway {
  const own = principal.kind === 'operator' ? null : principal.workspaceId;
  const scope = own ? { workspaceId: own } : {};
  const confined = (ws: string): string => {
    if (own !== null && ws !== own) throw CreditsError.notFound('workspace', ws);
    return ws;
  };
  const actor = (named: string | null | undefined) => named ?? actorOf(principal);

  return {
    defaultWorkspace: async () => own,
    authorize: (tool) => authorize(principal, MCP_TOOL_POLICIES[tool]),

    balance: async (ws) => asJson(await deps.ledger.balance(confined(ws))),

    estimate: async (ws, body) => {
      const balance = await deps.ledger.balance(confined(ws));
      const request = body.campaign !== undefined ? { campaign: body.campaign } : { items: body.items ?? [] };
      return asJson(estimate(deps.catalog, request, balance.total));
    },

    debit: async (ws, body) =>
      asJson(
        withoutReplayed(
          await deps.ledger.debit(confined(ws), {
            ...body,
            actor: actor(body.actor),
            spender: spenderOf(principal),
          }),
        ),
      ),

    hold: async (ws, body) => {
      const result = await deps.ledger.placeHold(confined(ws), {
        ...body,
        actor: actor(body.actor),
        spender: spenderOf(principal),
      });
      return asJson({ ...result.hold, balance: result.balance });
    },

    capture: async (holdId, body) =>
      asJson(
        withoutReplayed(
          await deps.ledger.capture(holdId, { ...body, actor: body.actor ?? undefined }, scope),
        ),
      ),

    release: async (holdId) => asJson(withoutReplayed(await deps.ledger.release(holdId, scope))),

    transactions: async (ws, query) => asJson(await deps.reports.transactions(confined(ws), query)),

    usage: async (ws, query) => asJson(await deps.reports.usage(confined(ws), query)),

    requestPurchase: async (ws, body) => {
      if (!deps.purchases) {
        throw new CreditsError(
          'unavailable',
          'purchases need the Temporal worker, which is not connected to this API',
          {
            service: 'purchases',
          },
        );
      }
      const purchase = await deps.purchases.request(confined(ws), {
        package: body.package,
        requestedBy: requesterOf(principal, body.requestedBy),
        source: body.source ?? 'api',
      });
      return asJson(purchase);
    },

    budgets: async (ws) => asJson({ items: await listBudgets(deps, confined(ws)) }),

    requestBudgetRaise: async (budgetId, body) =>
      asJson(
        await requestRaise(
          { raises: deps.purchases?.raises, budgets: deps.ledger.budgetRaises, audit: deps.ledger.changes },
          principal,
          budgetId,
          body,
          'mcp',
        ),
      ),

    catalog: async () => asJson(catalogSummary(deps.catalog)),
  };
}
