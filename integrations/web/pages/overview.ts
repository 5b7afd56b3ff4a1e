import { html } from 'hono/html';
import { projectionLine, usageBars } from '../chart.js';
import type { Register, WebConsoleDeps } from '../types.js';
import { render, wsPath } from './frame.js';
import { credits, num, table, when } from './layout.js';

interface Lot {
  id: string;
  type: string;
  remaining: number;
  expiresAt: string | null;
}

interface Usage {
  total: number;
  groups: { key: string | null; used: number; count: number }[];
}

/** Overview: the balance by type, what expires when, renewal, runway and the usage chart. */
export function registerOverview(register: Register, deps: WebConsoleDeps): void {
  register('GET', '/app', 'overview', async (c) => {
    const by = c.req.query('by') === 'member' ? 'member' : 'operation';
    const ws = c.get('session').principal.workspaceId;
    const api = c.get('api');
    return render(c, 'Overview', 'overview', async (balance) => {
      const chart = await deps.usageChart(ws, by);
      const [lots, usage] = await Promise.all([
        api.get<{ items: Lot[] }>(`${wsPath(c)}/lots`),
        api.get<Usage>(`${wsPath(c)}/usage`, { from: `${chart.days[0]}T00:00:00Z` }),
      ]);
      const expiring = lots.items
        .filter((l) => l.remaining > 0 && l.expiresAt)
        .sort((a, b) => (a.expiresAt! < b.expiresAt! ? -1 : 1))
        .slice(0, 10);
      const runway =
        chart.runwayDays === null
          ? 'No credits used lately: no run-out in sight'
          : `${Math.floor(chart.runwayDays).toLocaleString('en-US')} days at ${num(Math.round(chart.perDay))} a day`;
      return html`<section aria-labelledby="bal-h" class="cards">
<h2 id="bal-h" class="sr-only">Balance</h2>
<div class="card big"><p class="label">Balance</p><p class="value" data-testid="total">${num(balance.total)}</p><p class="label">credits</p></div>
<div class="card"><p class="label">By type</p><dl class="types">
${(['subscription', 'purchased', 'promotional', 'trial'] as const).map(
  (t) => html`<div><dt>${t}</dt><dd data-testid="type-${t}">${num(balance.byType[t])}</dd></div>`,
)}</dl></div>
<div class="card"><p class="label">Next expiry</p><p class="value small" data-testid="next-expiry">${balance.nextExpiry ? credits(balance.nextExpiry.amount) : 'Nothing expires'}</p><p class="label">${balance.nextExpiry ? when(balance.nextExpiry.at) : ''}</p></div>
<div class="card"><p class="label">Renewal</p><p class="value small" data-testid="renewal">${balance.renewal ? credits(balance.renewal.amount) : 'No renewal'}</p><p class="label">${balance.renewal ? when(balance.renewal.at) : ''}</p></div>
<div class="card"><p class="label">Runway</p><p class="value small" data-testid="runway">${runway}</p></div>
<div class="card"><p class="label">Used in the last 30 days</p><p class="value small" data-testid="used-30">${num(usage.total)}</p><p class="label">lifetime ${num(balance.lifetimeUsed)}</p></div>
</section>
<section aria-labelledby="chart-h">
<h2 id="chart-h">Usage, last 30 days</h2>
<p class="toggle">By: <a href="/app?by=operation"${by === 'operation' ? html` aria-current="true"` : ''}>operation</a> · <a href="/app?by=member"${by === 'member' ? html` aria-current="true"` : ''}>member</a></p>
${usageBars(chart)}
<p id="chart-tip" class="tip" aria-live="polite">Point at or tab to a day to see its numbers.</p>
<h2>Balance projected to ${chart.renewal ? 'the renewal' : 'the next 30 days'}</h2>
${projectionLine(chart)}
<p>${chart.runOutDay ? html`At this pace the balance runs out on <strong>${chart.runOutDay}</strong>.` : 'At this pace the balance lasts past the end of this projection.'}</p>
<details><summary>The chart's numbers</summary>
${table(
  'Credits used per day',
  ['Day', ...chart.series.map((s) => s.name), 'Total'],
  chart.days.map((d, i) => [
    d,
    ...chart.series.map((s) => num(s.values[i] ?? 0)),
    num(chart.series.reduce((t, s) => t + (s.values[i] ?? 0), 0)),
  ]),
)}
</details>
</section>
<section aria-labelledby="exp-h">
<h2 id="exp-h">What expires when</h2>
${table(
  'Lots with an expiry',
  ['Type', 'Remaining', 'Expires'],
  expiring.map((l) => [l.type, num(l.remaining), when(l.expiresAt)]),
)}
</section>`;
    });
  });
}
