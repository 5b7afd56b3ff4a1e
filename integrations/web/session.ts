import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WebAccess, WebSession } from '../../application/web-access.js';
import type { ApiClient } from './api.js';

export const SESSION_COOKIE = 'credits_session';

export type WebEnv = { Variables: { session: WebSession; api: ApiClient } };

/** Whether the request reached us over TLS (directly, or through a proxy that says so). */
function overTls(c: Context, publicUrl: string | undefined): boolean {
  return (
    publicUrl?.startsWith('https:') === true ||
    new URL(c.req.url).protocol === 'https:' ||
    c.req.header('x-forwarded-proto') === 'https'
  );
}

/** The session cookie: unreadable by scripts, not sent on cross-site requests, Secure behind TLS. */
export function startSession(c: Context, token: string, publicUrl: string | undefined): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: overTls(c, publicUrl),
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export async function currentSession(c: Context, web: WebAccess): Promise<WebSession | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 200) return null;
  return web.session(token);
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * A write must come from our own pages: the browser says where it came from (Sec-Fetch-Site,
 * Origin) and no other site can send those or read the page's CSRF token.
 */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (!origin) return site === 'same-origin';
  const host = c.req.header('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
