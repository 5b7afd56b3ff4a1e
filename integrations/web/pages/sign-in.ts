import { html } from 'hono/html';
import { endSession, sameOrigin, sessionToken, startSession } from '../session.js';
import type { Register, WebConsoleDeps } from '../types.js';
import { bare } from './layout.js';

const REFUSED = {
  used: {
    title: 'This link was already used',
    text: 'A sign-in link works once. Ask for a new one: /credits web in chat, or your operator.',
  },
  expired: {
    title: 'This link has expired',
    text: 'A sign-in link works for 10 minutes. Ask for a new one: /credits web in chat, or your operator.',
  },
  unknown: {
    title: 'This link is not valid',
    text: 'Check that the whole link was copied, or ask for a new one: /credits web in chat.',
  },
} as const;

/**
 * Opening a link shows a button; pressing it spends the link. A GET never signs in, so a chat
 * app's link preview or a mail scanner cannot use up the link.
 */
export function registerSignIn(register: Register, deps: WebConsoleDeps): void {
  register('GET', '/app/sign-in/:token', 'signInPage', (c) =>
    c.html(
      bare(
        'Sign in to Credits',
        html`<p>This link signs you in to your workspace's credit console. It works once.</p>
<form method="post" action="/app/sign-in/${c.req.param('token') ?? ''}">
  <button type="submit" class="primary">Continue to the console</button>
</form>`,
      ),
    ),
  );

  register('POST', '/app/sign-in/:token', 'signIn', async (c) => {
    if (!sameOrigin(c)) {
      return c.html(bare('Not allowed', html`<p role="alert">Sign in from the link itself.</p>`), 403);
    }
    const token = c.req.param('token') ?? '';
    const result =
      token.length <= 200 ? await deps.webAccess.signIn(token) : ({ ok: false, reason: 'unknown' } as const);
    if (!result.ok) {
      const refused = REFUSED[result.reason];
      return c.html(
        bare(refused.title, html`<p class="notice error" role="alert">${refused.text}</p>`),
        result.reason === 'unknown' ? 404 : 410,
      );
    }
    startSession(c, result.sessionToken, deps.publicUrl);
    return c.redirect('/app', 303);
  });

  register('POST', '/app/sign-out', 'signOut', async (c) => {
    const token = sessionToken(c);
    if (token) await deps.webAccess.signOut(token);
    endSession(c);
    return c.html(
      bare(
        'Signed out',
        html`<p role="status">You are signed out. Close this tab, or sign in again with a new link.</p>`,
      ),
    );
  });
}
