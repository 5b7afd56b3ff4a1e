import type { Context } from 'hono';
import { html } from 'hono/html';
import type { WebEnv } from '../session.js';
import type { Register } from '../types.js';
import { render, wsPath } from './frame.js';
import { allowed, csrfField, type Html, num, table, when } from './layout.js';

interface Purchase {
  id: string;
  status: string;
  package: string;
  credits?: number;
  price?: number;
  currency?: string;
  requestedBy?: string | null;
  decidedBy?: string | null;
  decidedVia?: string | null;
  reason?: string | null;
  createdAt?: string;
}
interface Catalog {
  packages: {
    key: string;
    name: string;
    credits: number;
    price: number;
    currency: string;
    validityDays: number | null;
  }[];
}

interface Refund {
  purchase: Purchase;
  refund: { credits: number; amount: string | number; currency: string };
}

const price = (p: { price?: number; currency?: string }) =>
  p.price === undefined ? '—' : `${p.price.toFixed(2)} ${p.currency ?? ''}`.trim();

/** Purchases: buy a package; approvers decide pending requests; the history with who decided. */
export function registerPurchasePages(register: Register): void {
  register('GET', '/app/purchases', 'purchases', async (c) => {
    const api = c.get('api');
    const { principal, csrfToken } = c.get('session');
    const [catalog, pending, recent] = await Promise.all([
      api.get<Catalog>('/v1/catalog'),
      api.get<{ items: Purchase[] }>(`${wsPath(c)}/purchases`, { status: 'pending_approval' }),
      api.get<{ items: Purchase[] }>(`${wsPath(c)}/purchases`),
    ]);
    const canBuy = allowed(principal, 'requestPurchase');
    const canDecide = allowed(principal, 'approvePurchase');
    const canRefund = allowed(principal, 'refundPurchase');
    const decide = (p: Purchase): Html =>
      canDecide
        ? html`<div class="row-actions">
<form method="post" action="/app/purchases/${p.id}/approve">${csrfField(csrfToken)}<button type="submit" class="primary" aria-label="Approve ${p.package} (${p.id})">Approve</button></form>
<form method="post" action="/app/purchases/${p.id}/reject">${csrfField(csrfToken)}<button type="submit" aria-label="Reject ${p.package} (${p.id})">Reject</button></form>
</div>`
        : html`<span>Waiting for an owner or admin</span>`;
    return render(
      c,
      'Purchases',
      'purchases',
      () => html`<section aria-labelledby="buy-h">
<h2 id="buy-h">Buy credits</h2>
${
  canBuy
    ? html`<ul class="packages">${catalog.packages.map(
        (
          p,
        ) => html`<li class="card"><p class="label">${p.name}</p><p class="value small">${num(p.credits)} credits</p>
<p class="label">${price(p)}${p.validityDays ? ` · valid ${p.validityDays} days` : ''}</p>
<form method="post" action="/app/purchases">${csrfField(csrfToken)}<input type="hidden" name="package" value="${p.key}">
<button type="submit" class="primary" aria-label="Request ${p.name}">Request</button></form></li>`,
      )}</ul>`
    : html`<p>Your role (${principal.role}) cannot request purchases.</p>`
}
</section>
<section aria-labelledby="pending-h">
<h2 id="pending-h">Waiting for approval</h2>
${table(
  'Pending purchases',
  ['Requested', 'Package', 'Credits', 'Price', 'By', 'Decision'],
  pending.items.map((p) => [
    when(p.createdAt),
    html`<a href="/app/purchases/${p.id}">${p.package}</a>`,
    num(p.credits ?? 0),
    price(p),
    p.requestedBy ?? '—',
    decide(p),
  ]),
)}
</section>
<section aria-labelledby="history-h">
<h2 id="history-h">History</h2>
${table(
  'Latest purchases',
  [
    'Requested',
    'Package',
    'Credits',
    'Price',
    'Status',
    'Requested by',
    'Decided by',
    ...(canRefund ? ['Refund'] : []),
  ],
  recent.items.map((p) => [
    when(p.createdAt),
    html`<a href="/app/purchases/${p.id}">${p.package}</a>`,
    num(p.credits ?? 0),
    price(p),
    html`<span class="status ${p.status}">${p.status.replace('_', ' ')}</span>`,
    p.requestedBy ?? '—',
    p.decidedBy ? `${p.decidedBy}${p.decidedVia ? ` (${p.decidedVia})` : ''}` : '—',
    ...(canRefund ? [p.status === 'completed' ? refundForm(p, csrfToken) : ''] : []),
  ]),
)}
</section>`,
    );
  });

  register('GET', '/app/purchases/:id', 'purchase', (c) => purchasePage(c));

  register('POST', '/app/purchases/:id/refund', 'refundPurchase', async (c) => {
    const id = c.req.param('id') ?? '';
    const { principal } = c.get('session');
    const out = await c.get('api').send<Refund>('POST', `/v1/purchases/${encodeURIComponent(id)}/refund`, {
      reason: `refunded in the web console by ${principal.memberId}`,
      // A second click replays the same refund instead of asking for another.
      idempotencyKey: `web-refund-${id}`,
    });
    return purchasePage(c, {
      kind: 'ok',
      text: `Refunded ${num(out.refund.credits)} credits and ${out.refund.amount} ${out.refund.currency}.`,
    });
  });

  register('POST', '/app/purchases', 'requestPurchase', async (c) => {
    const form = await c.req.parseBody({ all: true });
    await c.get('api').send('POST', `${wsPath(c)}/purchases`, { package: String(form.package ?? '') });
    return c.redirect('/app/purchases?done=requested', 303);
  });

  for (const decision of ['approve', 'reject'] as const) {
    register(
      'POST',
      `/app/purchases/:id/${decision}`,
      decision === 'approve' ? 'approvePurchase' : 'rejectPurchase',
      async (c) => {
        await c
          .get('api')
          .send('POST', `/v1/purchases/${encodeURIComponent(c.req.param('id') ?? '')}/${decision}`, {});
        return c.redirect(`/app/purchases?done=${decision === 'approve' ? 'approved' : 'rejected'}`, 303);
      },
    );
  }
}

function refundForm(p: Purchase, csrfToken: string): Html {
  return html`<form method="post" action="/app/purchases/${p.id}/refund">${csrfField(csrfToken)}<button type="submit" aria-label="Refund ${p.package} (${p.id})">Refund</button></form>`;
}

async function purchasePage(c: Context<WebEnv>, notice?: { kind: 'ok'; text: string }): Promise<Response> {
  const p = await c.get('api').get<Purchase>(`/v1/purchases/${encodeURIComponent(c.req.param('id') ?? '')}`);
  const { principal, csrfToken } = c.get('session');
  const refundable = p.status === 'completed' && allowed(principal, 'refundPurchase');
  return render(
    c,
    `Purchase ${p.id}`,
    'purchases',
    () => html`<dl class="facts">
<div><dt>Package</dt><dd>${p.package}</dd></div>
<div><dt>Credits</dt><dd>${num(p.credits ?? 0)}</dd></div>
<div><dt>Price</dt><dd>${price(p)}</dd></div>
<div><dt>Status</dt><dd data-testid="status">${p.status.replace('_', ' ')}</dd></div>
<div><dt>Requested</dt><dd>${when(p.createdAt)} by ${p.requestedBy ?? '—'}</dd></div>
<div><dt>Decided by</dt><dd>${p.decidedBy ? `${p.decidedBy}${p.decidedVia ? ` via ${p.decidedVia}` : ''}` : '—'}</dd></div>
${p.reason ? html`<div><dt>Reason</dt><dd>${p.reason}</dd></div>` : ''}
</dl>
${refundable ? html`<p>A refund voids the unused credits of this purchase and pays their price back.</p>${refundForm(p, csrfToken)}` : ''}
<p><a href="/app/purchases">All purchases</a></p>`,
    notice ? { notice } : {},
  );
}
