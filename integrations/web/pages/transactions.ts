import type { Context } from 'hono';
import { html } from 'hono/html';
import { ENTRY_KINDS, SOURCES } from '../../../ledger/types.js';
import { ApiFailure } from '../api.js';
import type { WebEnv } from '../session.js';
import type { Register } from '../types.js';
import { render, wsPath } from './frame.js';
import { type Html, num, table, when } from './layout.js';

interface Transaction {
  id: string;
  kind: string;
  amount: number;
  delta: number;
  balanceAfter: number;
  operation: string | null;
  quantity: number | null;
  actor: string | null;
  source: string;
  reason: string | null;
  createdAt: string;
}
interface Page {
  items: Transaction[];
  nextCursor: string | null;
}
interface Usage {
  total: number;
  groups: { key: string | null; used: number; count: number }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A date picked in the form is a whole UTC day; anything else goes to the API as typed (it says what is wrong). */
const fromParam = (v: string | undefined) => (v && DAY.test(v) ? `${v}T00:00:00Z` : v);
/** The API's `to` is exclusive: the next day's midnight, so a window of whole days reads the usage rollup. */
const toParam = (v: string | undefined) => {
  const start = v && DAY.test(v) ? Date.parse(`${v}T00:00:00Z`) : Number.NaN;
  return Number.isNaN(start) ? v : new Date(start + 86_400_000).toISOString();
};

/** The page's filters, as typed, and what the API is asked. */
function filters(c: Context<WebEnv>) {
  const q = (k: string) => c.req.query(k) || undefined;
  const shown = {
    kind: q('kind'),
    operation: q('operation'),
    member: q('member'),
    source: q('source'),
    from: q('from'),
    to: q('to'),
    limit: q('limit'),
  };
  const api = {
    kind: shown.kind,
    operation: shown.operation,
    actor: shown.member ? `member:${shown.member}` : undefined,
    source: shown.source,
    from: fromParam(shown.from),
    to: toParam(shown.to),
    limit: shown.limit,
  };
  return { shown, api };
}

const option = (value: string, chosen: string | undefined) =>
  html`<option value="${value}"${value === chosen ? html` selected` : ''}>${value}</option>`;

function filterForm(shown: ReturnType<typeof filters>['shown']): Html {
  return html`<form method="get" action="/app/transactions" class="filters">
<label>Kind <select name="kind"><option value="">any</option>${ENTRY_KINDS.map((k) => option(k, shown.kind))}</select></label>
<label>Operation <input name="operation" value="${shown.operation ?? ''}"></label>
<label>Member <input name="member" value="${shown.member ?? ''}"></label>
<label>Source <select name="source"><option value="">any</option>${SOURCES.map((s) => option(s, shown.source))}</select></label>
<label>From <input type="date" name="from" value="${shown.from ?? ''}"></label>
<label>To <input type="date" name="to" value="${shown.to ?? ''}"></label>
<button type="submit">Filter</button>
</form>`;
}

function query(params: Record<string, string | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  return u.toString();
}

const CSV_MAX_ROWS = 10_000;
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Transactions (filters, cursor paging, CSV export) and Usage (by member, operation and day). */
export function registerTransactionPages(register: Register): void {
  register('GET', '/app/transactions', 'transactions', async (c) => {
    const { shown, api: params } = filters(c);
    const cursor = c.req.query('cursor') || undefined;
    let result: Page | null = null;
    let failure: ApiFailure | null = null;
    try {
      result = await c.get('api').get<Page>(`${wsPath(c)}/transactions`, { ...params, cursor });
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 400) throw error;
      failure = error;
    }
    const next = result?.nextCursor
      ? `/app/transactions?${query({ ...shown, cursor: result.nextCursor })}`
      : null;
    return render(
      c,
      'Transactions',
      'transactions',
      () => html`${filterForm(shown)}
<p class="actions"><a href="/app/transactions.csv?${query(shown)}" download>Export CSV</a></p>
${table(
  'Transactions, newest first',
  ['When', 'Kind', 'Amount', 'Balance after', 'Operation', 'Actor', 'Source'],
  (result?.items ?? []).map((t) => [
    when(t.createdAt),
    t.kind,
    num(t.delta),
    num(t.balanceAfter),
    t.operation ? `${t.operation}${t.quantity ? ` × ${t.quantity}` : ''}` : (t.reason ?? '—'),
    t.actor ?? '—',
    t.source,
  ]),
)}
${next ? html`<p><a href="${next}" rel="next">Older transactions</a></p>` : ''}`,
      failure ? { notice: { kind: 'error', text: failure.explanation }, status: 400 } : {},
    );
  });

  register('GET', '/app/transactions.csv', 'transactionsCsv', async (c) => {
    const { api: params } = filters(c);
    const api = c.get('api');
    const lines = ['id,created_at,kind,amount,delta,balance_after,operation,quantity,actor,source,reason'];
    let cursor: string | undefined;
    let rows = 0;
    do {
      const page = await api.get<Page>(`${wsPath(c)}/transactions`, { ...params, limit: '200', cursor });
      for (const t of page.items) {
        lines.push(
          [
            t.id,
            t.createdAt,
            t.kind,
            t.amount,
            t.delta,
            t.balanceAfter,
            t.operation,
            t.quantity,
            t.actor,
            t.source,
            t.reason,
          ]
            .map(csvCell)
            .join(','),
        );
      }
      rows += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows < CSV_MAX_ROWS);
    return c.body(`${lines.join('\r\n')}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="transactions.csv"',
    });
  });

  register('GET', '/app/usage', 'usage', async (c) => {
    const shown = { from: c.req.query('from') || undefined, to: c.req.query('to') || undefined };
    const window = { from: fromParam(shown.from), to: toParam(shown.to) };
    const api = c.get('api');
    let groups: Record<'actor' | 'operation' | 'day', Usage> | null = null;
    let failure: ApiFailure | null = null;
    try {
      const [actor, operation, day] = await Promise.all(
        (['actor', 'operation', 'day'] as const).map((groupBy) =>
          api.get<Usage>(`${wsPath(c)}/usage`, { ...window, groupBy }),
        ),
      );
      groups = { actor: actor!, operation: operation!, day: day! };
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 400) throw error;
      failure = error;
    }
    const section = (title: string, head: string, usage: Usage | undefined) =>
      table(
        title,
        [head, 'Credits', 'Debits'],
        (usage?.groups ?? []).map((g) => [g.key ?? '—', num(g.used), num(g.count)]),
      );
    return render(
      c,
      'Usage',
      'usage',
      () => html`<form method="get" action="/app/usage" class="filters">
<label>From <input type="date" name="from" value="${shown.from ?? ''}"></label>
<label>To <input type="date" name="to" value="${shown.to ?? ''}"></label>
<button type="submit">Show</button>
</form>
<p>Total in this window: <strong data-testid="usage-total">${num(groups?.operation.total ?? 0)}</strong> credits.</p>
${section('By member', 'Member', groups?.actor)}
${section('By operation', 'Operation', groups?.operation)}
${section('By day', 'Day', groups?.day)}`,
      failure ? { notice: { kind: 'error', text: failure.explanation }, status: 400 } : {},
    );
  });
}
