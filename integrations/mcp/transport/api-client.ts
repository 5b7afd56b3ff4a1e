import createClient from 'openapi-fetch';
import type { paths } from '../../../contract/openapi-types.js';
import { type CreditsGateway, type Json, ToolFailure } from '../gateway.js';

export interface ApiClientOptions {
  /** CREDITS_API_URL, e.g. https://credits.example.org */
  baseUrl: string;
  /** CREDITS_API_KEY: the tools act with this key's scopes. */
  apiKey: string;
  /**
   * CREDITS_WORKSPACE: used when the agent names no workspace. Without it, the key's own workspace
   * (GET /v1/whoami, asked once); an operator key has none, so its tools need one named.
   */
  workspace?: string;
  fetch?: typeof fetch;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The tools against a hosted Credits over its HTTP API (typed from contract/openapi-types.ts). Nothing is
 * authorised here: the API applies its own policies to the key and answers 403 naming the missing
 * scope, which becomes the tool error.
 */
export function apiClientGateway(options: ApiClientOptions): CreditsGateway {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${options.apiKey}`, 'User-Agent': 'credits-mcp' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function call<T>(request: () => Promise<Answer<T>>): Promise<Json> {
    let answer: Answer<T>;
    try {
      answer = await request();
    } catch (error) {
      throw new ToolFailure(
        'unavailable',
        `cannot reach the Credits API at ${baseUrl}: ${(error as Error).message}`,
      );
    }
    if (answer.data !== undefined && answer.response.ok) return answer.data as Json;
    const body = (
      answer.error as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
    )?.error;
    throw new ToolFailure(
      body?.code ?? 'unavailable',
      body?.message ?? `the Credits API answered ${answer.response.status} ${answer.response.statusText}`,
      body?.details ?? {},
    );
  }
  const ws = (id: string) => ({ params: { path: { ws: id } } });
  const id = (holdId: string) => ({ params: { path: { id: holdId } } });

  let own: Promise<string | null> | null = options.workspace ? Promise.resolve(options.workspace) : null;
  const defaultWorkspace = (): Promise<string | null> => {
    if (!own) {
      const asked = call(() => client.GET('/v1/whoami')).then(
        (me) => (me as { workspaceId: string | null }).workspaceId,
      );
      // A failure (the API unreachable) is that tool call's error; the next call asks again.
      asked.catch(() => {
        if (own === asked) own = null;
      });
      own = asked;
    }
    return own;
  };

  return {
    defaultWorkspace,
    authorize: () => {},
    balance: (w) => call(() => client.GET('/v1/workspaces/{ws}/balance', ws(w))),
    estimate: (w, body) => call(() => client.POST('/v1/workspaces/{ws}/estimates', { ...ws(w), body })),
    debit: (w, body) => call(() => client.POST('/v1/workspaces/{ws}/debits', { ...ws(w), body })),
    hold: (w, body) => call(() => client.POST('/v1/workspaces/{ws}/holds', { ...ws(w), body })),
    capture: (h, body) => call(() => client.POST('/v1/holds/{id}/capture', { ...id(h), body })),
    release: (h) => call(() => client.POST('/v1/holds/{id}/release', id(h))),
    transactions: (w, query) =>
      call(() => client.GET('/v1/workspaces/{ws}/transactions', { params: { path: { ws: w }, query } })),
    usage: (w, query) =>
      call(() => client.GET('/v1/workspaces/{ws}/usage', { params: { path: { ws: w }, query } })),
    requestPurchase: (w, body) =>
      call(() => client.POST('/v1/workspaces/{ws}/purchases', { ...ws(w), body })),
    budgets: (w) => call(() => client.GET('/v1/workspaces/{ws}/budgets', ws(w))),
    requestBudgetRaise: (budgetId, body) =>
      call(() => client.POST('/v1/budgets/{id}/raises', { ...id(budgetId), body })),
    catalog: () => call(() => client.GET('/v1/catalog')),
  };
}
