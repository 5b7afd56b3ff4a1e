import type { Context } from 'hono';
import type { Principal } from '../../application/access.js';
import { apiClient } from './api.js';
import { asset } from './assets.js';
import type { Register, WebConsoleDeps } from './types.js';

interface Balance {
  total: number;
  nextExpiry: { amount: number; at: string } | null;
}

/**
 * The `<credits-balance>` widget: its script, and the balance it shows, for pages of EMBED_ORIGINS
 * only (CORS names the calling origin when it is one of them; any other gets 403 and no CORS
 * header, so the browser hides even the refusal from the page).
 */
export function registerWidget(register: Register, deps: WebConsoleDeps): void {
  const allowed = new Set(deps.embedOrigins);
  const cors = (c: Context, origin: string) => {
    c.header('access-control-allow-origin', origin);
    c.header('access-control-allow-headers', 'authorization');
    c.header('access-control-allow-methods', 'GET');
    c.header('access-control-max-age', '600');
    c.header('vary', 'Origin');
  };
  const refused = (c: Context) =>
    c.json(
      { error: { code: 'forbidden', message: 'this site may not embed the widget', details: null } },
      403,
      {
        vary: 'Origin',
      },
    );

  register('GET', '/embed/credits.js', 'widgetScript', (c) =>
    c.body(asset('credits.js'), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      // Loaded by other sites' pages by design; what it fetches is guarded by CORS and the token.
      'cross-origin-resource-policy': 'cross-origin',
    }),
  );

  register('OPTIONS', '/embed/balance', 'widgetBalance', (c) => {
    const origin = c.req.header('origin') ?? '';
    if (!allowed.has(origin)) return refused(c);
    cors(c, origin);
    return c.body(null, 204);
  });

  register('GET', '/embed/balance', 'widgetBalance', async (c) => {
    const origin = c.req.header('origin') ?? '';
    if (!allowed.has(origin)) return refused(c);
    cors(c, origin);
    const token = /^Bearer\s+(\S{1,200})$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const workspaceId = token ? await deps.webAccess.embedWorkspace(token) : null;
    if (!workspaceId) {
      return c.json(
        { error: { code: 'unauthorized', message: 'unknown or expired embed token', details: null } },
        401,
      );
    }
    // The token reads the balance and nothing else: a key principal with balance:read alone.
    const principal: Principal = {
      kind: 'key',
      keyId: `embed:${workspaceId}`,
      workspaceId,
      name: 'embed token',
      scopes: ['balance:read'],
      memberId: null,
    };
    const balance = await apiClient(deps.api, principal).get<Balance>(
      `/v1/workspaces/${encodeURIComponent(workspaceId)}/balance`,
    );
    // Never the Host header: the link must point at this service whoever asks.
    const base = deps.publicUrl ?? '';
    return c.json(
      {
        total: balance.total,
        nextExpiry: balance.nextExpiry,
        buyUrl: `${base.replace(/\/+$/, '')}/app/purchases`,
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });
}
