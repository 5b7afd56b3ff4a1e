import { html } from 'hono/html';
import type { UsageChartData } from '../../application/usage-chart.js';
import type { Html } from './pages/layout.js';

/** Distinguishable on white and each at least 3:1 against it (WCAG 2.2 non-text contrast). */
export const PALETTE = ['#1f5fbf', '#b3541e', '#2e7d32', '#8e24aa', '#a0007a', '#5d6b00'];
const W = 720;
const H = 240;
const PAD = { left: 52, right: 8, top: 12, bottom: 28 };

function niceMax(v: number): number {
  if (v <= 0) return 10;
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}

function axis(max: number, y: (v: number) => number): Html {
  const ticks = [0, max / 2, max];
  return html`${ticks.map(
    (t) =>
      html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" class="grid"></line><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" class="tick">${Math.round(t).toLocaleString('en-US')}</text>`,
  )}`;
}

/**
 * The chat chart's data drawn as SVG on the server: 30 days stacked by operation or member. Each
 * day is a focusable group whose label the console's script shows as a tooltip (hover or keyboard);
 * the table below the chart carries the same numbers for screen readers.
 */
export function usageBars(data: UsageChartData): Html {
  const perDay = data.days.map((_, i) => data.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...perDay));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const slot = plotW / data.days.length;
  const barW = Math.max(2, slot * 0.7);
  const groups = data.days.map((day, i) => {
    let top = PAD.top + plotH;
    const parts = data.series
      .map((s, k) => ({ name: s.name, value: s.values[i] ?? 0, color: PALETTE[k % PALETTE.length]! }))
      .filter((p) => p.value > 0);
    const label = `${day}: ${perDay[i]!.toLocaleString('en-US')} credits${parts.length ? ` (${parts.map((p) => `${p.name} ${p.value.toLocaleString('en-US')}`).join(', ')})` : ''}`;
    const x = PAD.left + i * slot + (slot - barW) / 2;
    return html`<g class="day" tabindex="0" role="img" aria-label="${label}" data-tip="${label}"><title>${label}</title><rect x="${PAD.left + i * slot}" y="${PAD.top}" width="${slot}" height="${plotH}" class="hit"></rect>${parts.map(
      (p) => {
        const h = (p.value / max) * plotH;
        top -= h;
        return html`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${p.color}"></rect>`;
      },
    )}</g>`;
  });
  const labels = [0, 7, 14, 21, 29].map(
    (i) =>
      html`<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle" class="tick">${data.days[i]!.slice(5)}</text>`,
  );
  return html`<svg viewBox="0 0 ${W} ${H}" class="chart" role="group" aria-label="Credits used per day, last 30 days, by ${data.by}">${axis(max, y)}${groups}${labels}</svg>
<ul class="legend">${data.series.map(
    (s, k) =>
      html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${PALETTE[k % PALETTE.length]}"></rect></svg>${s.name}</li>`,
  )}</ul>`;
}

/** The balance projected day by day to the renewal, with the run-out day when it comes first. */
export function projectionLine(data: UsageChartData): Html {
  const points = data.projection;
  const max = niceMax(Math.max(0, ...points.map((p) => p.balance)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.balance).toFixed(1)}`)
    .join(' ');
  const marks = points.map((p, i) => {
    const label = `${p.day}: ${p.balance.toLocaleString('en-US')} credits projected`;
    return html`<g class="day" tabindex="-1" data-tip="${label}"><title>${label}</title><circle cx="${x(i).toFixed(1)}" cy="${y(p.balance).toFixed(1)}" r="6" class="hit"></circle></g>`;
  });
  const last = points.at(-1);
  return html`<svg viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="Balance projected from ${points[0]?.day ?? ''} to ${last?.day ?? ''}: ${last ? last.balance.toLocaleString('en-US') : 0} credits at the end${data.runOutDay ? `, running out on ${data.runOutDay}` : ''}">${axis(max, y)}<path d="${path}" class="projection"></path>${marks}<text x="${PAD.left}" y="${H - 8}" class="tick">${points[0]?.day.slice(5) ?? ''}</text><text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" class="tick">${last?.day.slice(5) ?? ''}</text></svg>`;
}
