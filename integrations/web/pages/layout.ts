import { html } from 'hono/html';
import { hasScope, type Principal } from '../../../application/access.js';
import { WEB_POLICIES, type WebAction } from '../../../application/policies.js';

export type Html = ReturnType<typeof html>;

/** The pages in the menu, each shown only to whom its policy admits. */
const MENU: { action: WebAction; href: string; label: string }[] = [
  { action: 'overview', href: '/app', label: 'Overview' },
  { action: 'transactions', href: '/app/transactions', label: 'Transactions' },
  { action: 'usage', href: '/app/usage', label: 'Usage' },
  { action: 'purchases', href: '/app/purchases', label: 'Purchases' },
  { action: 'budgets', href: '/app/budgets', label: 'Budgets' },
  { action: 'settings', href: '/app/settings', label: 'Settings' },
  { action: 'keys', href: '/app/keys', label: 'API keys' },
  { action: 'audit', href: '/app/audit', label: 'Audit log' },
];

export function allowed(principal: Principal, action: WebAction): boolean {
  const rule = WEB_POLICIES[action] as { scope?: Parameters<typeof hasScope>[1] };
  return rule.scope ? hasScope(principal, rule.scope) : true;
}

export const credits = (n: number) => `${n.toLocaleString('en-US')} credits`;
export const num = (n: number) => n.toLocaleString('en-US');
export const when = (iso: string | null | undefined) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—';

export interface PageFrame {
  title: string;
  active: WebAction | null;
  principal: Principal & { kind: 'member' };
  csrf: string;
  workspaceName: string;
  balance: number | null;
  /** A refusal or confirmation shown above the content (role=alert for errors). */
  notice?: { kind: 'error' | 'ok'; text: string } | null;
}

export function page(frame: PageFrame, body: Html): Html {
  const menu = MENU.filter((m) => allowed(frame.principal, m.action));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Credits</title>
<link rel="stylesheet" href="/app/assets/console.css">
<script src="/app/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <div class="brand"><span class="ws">${frame.workspaceName}</span>
    ${frame.balance === null ? '' : html`<span class="pill" aria-label="Balance">${credits(frame.balance)}</span>`}</div>
  <nav aria-label="Console">
    <ul>${menu.map(
      (m) =>
        html`<li><a href="${m.href}"${m.action === frame.active ? html` aria-current="page"` : ''}>${m.label}</a></li>`,
    )}</ul>
  </nav>
  <form method="post" action="/app/sign-out" class="signout">
    <input type="hidden" name="_csrf" value="${frame.csrf}">
    <span class="who">${frame.principal.name} (${frame.principal.role})</span>
    <button type="submit" class="link">Sign out</button>
  </form>
</header>
<main id="main">
<h1>${frame.title}</h1>
${notice(frame.notice)}
${body}
</main>
</body>
</html>`;
}

export function notice(n: PageFrame['notice']): Html | string {
  if (!n) return '';
  return n.kind === 'error'
    ? html`<div class="notice error" role="alert"><strong>Not done:</strong> ${n.text}</div>`
    : html`<div class="notice ok" role="status">${n.text}</div>`;
}

/** A page for someone not signed in (or whose link failed): no menu, no data. */
export function bare(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Credits</title>
<link rel="stylesheet" href="/app/assets/console.css">
</head>
<body class="bare">
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A table that scrolls sideways on a phone instead of widening the page. */
export function table(caption: string, head: string[], rows: (Html | string | number)[][]): Html {
  return html`<div class="scroll" role="region" aria-label="${caption}" tabindex="0"><table>
<caption>${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${
    rows.length === 0
      ? html`<tr><td colspan="${head.length}">Nothing yet.</td></tr>`
      : rows.map((r) => html`<tr>${r.map((cell) => html`<td>${cell}</td>`)}</tr>`)
  }</tbody>
</table></div>`;
}

export const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
