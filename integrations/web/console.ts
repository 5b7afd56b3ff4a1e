import { Hono, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { authorize } from '../../application/access.js';
import { WEB_POLICIES, type WebAction } from '../../application/policies.js';
import { CreditsError } from '../../ledger/errors.js';
import { ApiFailure, apiClient } from './api.js';
import { registerAssets } from './assets.js';
import { registerBudgetPages } from './pages/budgets.js';
import { errorPage } from './pages/errors.js';
import { registerOverview } from './pages/overview.js';
import { registerPurchasePages } from './pages/purchases.js';
import { registerSettingsPages } from './pages/settings.js';
import { registerSignIn } from './pages/sign-in.js';
import { registerTransactionPages } from './pages/transactions.js';
import { currentSession, sameOrigin, tokensMatch, type WebEnv } from './session.js';
import type { Register, WebApp, WebConsoleDeps } from './types.js';
import { registerWidget } from './widget.js';

export type { Register, WebApp, WebConsoleDeps } from './types.js';

/**
 * The web console at /app and the widget at /embed: server-rendered pages over the HTTP API called
 * in-process as the signed-in member. Every route is registered with its entry in WEB_POLICIES,
 * checked on the server before the page runs (and the API checks its own operations again).
 */
export function createWebConsole(deps: WebConsoleDeps): WebApp {
  const app = new Hono<WebEnv>() as WebApp;
  const policies = new Map<string, WebAction>();
  app.policies = policies;

  app.use('*', async (c, next) => {
    await next();
    const frameAncestors = ["'self'", ...deps.embedOrigins].join(' ');
    if (!c.res.headers.has('content-security-policy')) {
      c.res.headers.set(
        'content-security-policy',
        `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ${frameAncestors}`,
      );
    }
    c.res.headers.set('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own forms.
    c.res.headers.set('referrer-policy', 'same-origin');
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });

  const guard =
    (action: WebAction, method: string): MiddlewareHandler<WebEnv> =>
    async (c, next) => {
      const rule = WEB_POLICIES[action];
      if ('public' in rule) return next();
      const session = await currentSession(c, deps.webAccess);
      if (!session) return c.html(signedOut(), 401);
      c.set('session', session);
      c.set('api', apiClient(deps.api, session.principal));
      authorize(session.principal, rule);
      if (method === 'POST') {
        // Parsed once for the route too (hono caches it): `all` keeps repeated fields (scopes) as arrays.
        const form = await c.req.parseBody({ all: true });
        if (!sameOrigin(c) || !tokensMatch(form._csrf, session.csrfToken)) {
          throw new CreditsError('forbidden', 'this form did not come from this console (CSRF check failed)');
        }
      }
      return next();
    };

  const register: Register = (method, path, action, ...handlers) => {
    policies.set(`${method} ${path}`, action);
    app.on(method, path, guard(action, method), ...handlers);
  };

  registerAssets(register);
  registerSignIn(register, deps);
  registerOverview(register, deps);
  registerTransactionPages(register);
  registerPurchasePages(register);
  registerBudgetPages(register);
  registerSettingsPages(register);
  registerWidget(register, deps);

  assertEveryWebRouteHasPolicy(app);

  app.notFound((c) => errorPage(c, new ApiFailure(404, 'not_found', 'There is no such page.', null)));
  app.onError((err, c) => {
    if (err instanceof ApiFailure) return errorPage(c, err);
    if (err instanceof CreditsError) {
      const status = err.code === 'forbidden' ? 403 : err.code === 'not_found' ? 404 : 400;
      return errorPage(c, new ApiFailure(status, err.code, err.message, err.details));
    }
    console.error('[web] unexpected error', err);
    return errorPage(c, new ApiFailure(500, 'internal', 'Something went wrong on our side.', null));
  });
  return app;
}

/** Throws when a route was added without `register` (so without an entry in WEB_POLICIES). */
export function assertEveryWebRouteHasPolicy(app: WebApp): void {
  const missing = app.routes
    .filter((r) => r.method !== 'ALL' && !app.policies.has(`${r.method} ${r.path}`))
    .map((r) => `${r.method} ${r.path}`);
  if (missing.length > 0) {
    throw new Error(
      `web routes without an access policy in application/policies.ts: ${[...new Set(missing)].join(', ')}`,
    );
  }
}

function signedOut() {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Signed out · Credits</title>
<link rel="stylesheet" href="/app/assets/console.css"></head>
<body class="bare"><main id="main"><h1>You are signed out</h1>
<p>Sign-in links come from chat (<code>/credits web</code>), from your product, or from your operator
(<code>credits login-link &lt;workspace&gt; --member &lt;id&gt;</code>). Each works once, for 10 minutes.</p>
</main></body></html>`;
}
