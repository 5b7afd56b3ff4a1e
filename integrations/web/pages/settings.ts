import { html } from 'hono/html';
import { SCOPES } from '../../../application/access.js';
import type { Register } from '../types.js';
import { render, wsPath } from './frame.js';
import { allowed, csrfField, type Html, num, table, when } from './layout.js';

interface Alerts {
  thresholds: { low: number; critical: number };
}
interface AutoTopUp {
  autoTopUp: { enabled: boolean; below: number; package: string; monthlyBudget: number } | null;
  currency: string;
}
interface Key {
  id: string;
  name: string;
  scopes: string[];
  memberId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
interface AuditEntry {
  id: string;
  action: string;
  actor: string;
  channel: string;
  target: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string) => {
  const v = form[name];
  return typeof v === 'string' ? v : '';
};
/** A whole number as a number; anything else as typed, for the API to name what is wrong. */
const count = (v: string) => (/^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : v);
const amount = (v: string) => (/^\d{1,12}(\.\d{1,2})?$/.test(v.trim()) ? Number(v.trim()) : v);
const change = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

/** Settings (alert thresholds, auto top-up), API keys and the audit log. */
export function registerSettingsPages(register: Register): void {
  register('GET', '/app/settings', 'settings', async (c) => {
    const api = c.get('api');
    const { principal, csrfToken } = c.get('session');
    const [alerts, topUp, catalog] = await Promise.all([
      api.get<Alerts>(`${wsPath(c)}/alerts`),
      api.get<AutoTopUp>(`${wsPath(c)}/auto-top-up`),
      api.get<{ packages: { key: string; name: string }[] }>('/v1/catalog'),
    ]);
    const editable = allowed(principal, 'saveAlerts');
    const disabled = editable ? '' : html` disabled`;
    const policy = topUp.autoTopUp;
    return render(
      c,
      'Settings',
      'settings',
      () => html`${editable ? '' : html`<p>Your role (${principal.role}) can see these settings but not change them.</p>`}
<section aria-labelledby="alerts-h"><h2 id="alerts-h">Alert thresholds</h2>
<form method="post" action="/app/settings/alerts" class="stack">${csrfField(csrfToken)}
<label>Low balance alert below <input name="low" inputmode="numeric" value="${alerts.thresholds.low}"${disabled}></label>
<label>Critical alert below <input name="critical" inputmode="numeric" value="${alerts.thresholds.critical}"${disabled}></label>
${editable ? html`<button type="submit" class="primary">Save thresholds</button>` : ''}
</form></section>
<section aria-labelledby="topup-h"><h2 id="topup-h">Auto top-up</h2>
<form method="post" action="/app/settings/auto-top-up" class="stack">${csrfField(csrfToken)}
<label class="check"><input type="checkbox" name="enabled" value="on"${policy?.enabled ? html` checked` : ''}${disabled}> Buy automatically when the balance runs low</label>
<label>When the balance falls below <input name="below" inputmode="numeric" value="${policy?.below ?? 100}"${disabled}></label>
<label>Buy the package <select name="package"${disabled}>${catalog.packages.map(
        (p) =>
          html`<option value="${p.key}"${policy?.package === p.key ? html` selected` : ''}>${p.name}</option>`,
      )}</select></label>
<label>Monthly budget (${topUp.currency}) <input name="monthlyBudget" inputmode="decimal" value="${policy?.monthlyBudget ?? 0}"${disabled}></label>
${editable ? html`<button type="submit" class="primary">Save auto top-up</button>` : ''}
</form></section>`,
    );
  });

  register('POST', '/app/settings/alerts', 'saveAlerts', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    await c.get('api').send('PUT', `${wsPath(c)}/alerts`, {
      thresholds: { low: count(text(form, 'low')), critical: count(text(form, 'critical')) },
    });
    return c.redirect('/app/settings?done=alerts', 303);
  });

  register('POST', '/app/settings/auto-top-up', 'saveAutoTopUp', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    await c.get('api').send('PUT', `${wsPath(c)}/auto-top-up`, {
      autoTopUp: {
        enabled: text(form, 'enabled') === 'on',
        below: count(text(form, 'below')),
        package: text(form, 'package'),
        monthlyBudget: amount(text(form, 'monthlyBudget')),
      },
    });
    return c.redirect('/app/settings?done=autotopup', 303);
  });

  const keysPage = async (
    c: Parameters<Parameters<Register>[3]>[0],
    created?: { key: string; name: string },
  ) => {
    const keys = await c.get('api').get<{ items: Key[] }>(`${wsPath(c)}/api-keys`);
    const { csrfToken } = c.get('session');
    const shown: Html | string = created
      ? html`<div class="notice ok" role="status"><p>Key <strong>${created.name}</strong> created. Copy the secret now: it is not shown again.</p>
<p><code class="secret" data-testid="secret">${created.key}</code></p></div>`
      : '';
    return render(
      c,
      'API keys',
      'keys',
      () => html`${shown}
<section aria-labelledby="new-h"><h2 id="new-h">Create a key</h2>
<form method="post" action="/app/keys" class="stack">${csrfField(csrfToken)}
<label>Name <input name="name" required maxlength="100"></label>
<fieldset><legend>Scopes (a key may hold only scopes you hold)</legend>
${SCOPES.map((s) => html`<label class="check"><input type="checkbox" name="scopes" value="${s}"${s === 'balance:read' ? html` checked` : ''}> ${s}</label>`)}
</fieldset>
<label>Acts as member (needed to approve purchases) <input name="memberId"></label>
<label>Expires (optional) <input type="date" name="expiresAt"></label>
<button type="submit" class="primary">Create key</button>
</form></section>
<section aria-labelledby="keys-h"><h2 id="keys-h">Keys</h2>
${table(
  'API keys of this workspace',
  ['Name', 'Scopes', 'Member', 'Created', 'Last used', 'Expires', ''],
  keys.items.map((k) => [
    k.name,
    k.scopes.join(', '),
    k.memberId ?? '—',
    when(k.createdAt),
    when(k.lastUsedAt),
    when(k.expiresAt),
    k.revokedAt
      ? `revoked ${when(k.revokedAt)}`
      : html`<form method="post" action="/app/keys/${k.id}/revoke">${csrfField(csrfToken)}<button type="submit" aria-label="Revoke ${k.name}">Revoke</button></form>`,
  ]),
)}</section>`,
    );
  };

  register('GET', '/app/keys', 'keys', (c) => keysPage(c));

  register('POST', '/app/keys', 'createKey', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const raw = form.scopes;
    const scopes = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    const expires = text(form, 'expiresAt');
    const created = await c.get('api').send<{ key: string; name: string }>('POST', `${wsPath(c)}/api-keys`, {
      name: text(form, 'name'),
      scopes,
      ...(text(form, 'memberId') ? { memberId: text(form, 'memberId') } : {}),
      ...(expires
        ? { expiresAt: /^\d{4}-\d{2}-\d{2}$/.test(expires) ? `${expires}T00:00:00Z` : expires }
        : {}),
    });
    return keysPage(c, created);
  });

  register('POST', '/app/keys/:id/revoke', 'revokeKey', async (c) => {
    await c.get('api').send('DELETE', `/v1/api-keys/${encodeURIComponent(c.req.param('id') ?? '')}`);
    return c.redirect('/app/keys?done=revoked', 303);
  });

  register('GET', '/app/audit', 'audit', async (c) => {
    const cursor = c.req.query('cursor') || undefined;
    const page = await c
      .get('api')
      .get<{ items: AuditEntry[]; nextCursor: string | null }>(`${wsPath(c)}/audit`, { cursor, limit: '50' });
    return render(
      c,
      'Audit log',
      'audit',
      () => html`${table(
        'Changes and decisions, newest first',
        ['When', 'Action', 'Actor', 'Channel', 'Target', 'Before', 'After'],
        page.items.map((e) => [
          when(e.at),
          e.action,
          e.actor,
          e.channel,
          e.target ?? '—',
          change(e.before),
          change(e.after),
        ]),
      )}
${page.nextCursor ? html`<p><a href="/app/audit?cursor=${encodeURIComponent(page.nextCursor)}" rel="next">Older entries</a></p>` : ''}
<p class="muted">${num(page.items.length)} entries shown.</p>`,
    );
  });
}
