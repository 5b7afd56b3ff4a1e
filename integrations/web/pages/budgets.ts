import type { Context } from 'hono';
import { html } from 'hono/html';
import { type BudgetSubject, describeSubject, mayRaise } from '../../../application/budget-raises.js';
import { BUDGET_PERIODS } from '../../../ledger/types.js';
import type { WebEnv } from '../session.js';
import type { Register } from '../types.js';
import { render, wsPath } from './frame.js';
import { allowed, csrfField, type Html, num, table, when } from './layout.js';

interface Budget {
  id: string;
  subject: BudgetSubject;
  period: string;
  limit: number;
  perDebitMax: number | null;
  used: number;
  remaining: number;
  raised: number;
  resetsAt: string;
}
interface Raise {
  id: string;
  budgetId: string;
  amount: number;
  reason: string;
  requestedBy: string | null;
  createdAt: string;
  approvalDeadline: string | null;
}

type Form = Record<string, string | File | (string | File)[]>;
const SUBJECT_KINDS = ['member', 'apiKey', 'actor', 'operation'] as const;
const KIND_LABELS: Record<(typeof SUBJECT_KINDS)[number], string> = {
  member: 'Member',
  apiKey: 'API key',
  actor: 'Actor',
  operation: 'Operation',
};

const text = (form: Form, name: string) => {
  const v = form[name];
  return typeof v === 'string' ? v.trim() : '';
};
/** A whole number as a number; anything else as typed, so the API names what is wrong (its 400). */
const count = (v: string) => (/^-?\d{1,15}$/.test(v) ? Number(v) : v);
const idParam = (c: Context<WebEnv>) => encodeURIComponent(c.req.param('id') ?? '');

/** Budgets: what each subject may spend per period and has used; raises asked and decided here. */
export function registerBudgetPages(register: Register): void {
  register('GET', '/app/budgets', 'budgets', async (c) => {
    const api = c.get('api');
    const { principal, csrfToken } = c.get('session');
    const [budgets, raises] = await Promise.all([
      api.get<{ items: Budget[] }>(`${wsPath(c)}/budgets`),
      api.get<{ items: Raise[] }>(`${wsPath(c)}/budget-raises`),
    ]);
    const canSet = allowed(principal, 'saveBudget');
    const canDecide = allowed(principal, 'approveBudgetRaise');
    const canAsk = (b: Budget) => allowed(principal, 'askBudgetRaise') && mayRaise(principal, b.subject);
    const subjectOf = (budgetId: string) => {
      const b = budgets.items.find((x) => x.id === budgetId);
      return b ? describeSubject(b.subject) : budgetId;
    };
    const periods = (current?: string) =>
      BUDGET_PERIODS.map(
        (p) => html`<option value="${p}"${p === current ? html` selected` : ''}>${p}</option>`,
      );

    const actions = (b: Budget): Html => {
      const who = describeSubject(b.subject);
      return html`<div class="row-actions">${
        canSet
          ? html`<details><summary aria-label="Change the budget of ${who}">Change</summary>
<form method="post" action="/app/budgets/${b.id}" class="stack">${csrfField(csrfToken)}
<label>Limit per period <input name="limit" inputmode="numeric" value="${b.limit}"></label>
<label>Period <select name="period">${periods(b.period)}</select></label>
<label>Most per debit (empty: no cap) <input name="perDebitMax" inputmode="numeric" value="${b.perDebitMax ?? ''}"></label>
<button type="submit" class="primary">Save budget</button></form>
<form method="post" action="/app/budgets/${b.id}/delete">${csrfField(csrfToken)}
<button type="submit" aria-label="Delete the budget of ${who}">Delete budget</button></form></details>`
          : ''
      }${
        canAsk(b)
          ? html`<details><summary aria-label="Ask for a raise of the budget of ${who}">Ask for a raise</summary>
<form method="post" action="/app/budgets/${b.id}/raises" class="stack">${csrfField(csrfToken)}
<label>Credits more this period <input name="amount" inputmode="numeric" required></label>
<label>Why <input name="reason" maxlength="500" required></label>
<button type="submit" class="primary">Ask the approvers</button></form></details>`
          : ''
      }</div>`;
    };

    const decide = (r: Raise): Html =>
      canDecide
        ? html`<div class="row-actions">
<form method="post" action="/app/budget-raises/${r.id}/approve">${csrfField(csrfToken)}<button type="submit" class="primary" aria-label="Approve ${num(r.amount)} more for ${subjectOf(r.budgetId)} (${r.id})">Approve</button></form>
<form method="post" action="/app/budget-raises/${r.id}/reject">${csrfField(csrfToken)}<button type="submit" aria-label="Reject ${num(r.amount)} more for ${subjectOf(r.budgetId)} (${r.id})">Reject</button></form>
</div>`
        : html`<span>Waiting for an owner or admin</span>`;

    return render(
      c,
      'Budgets',
      'budgets',
      () => html`<section aria-labelledby="budgets-h">
<h2 id="budgets-h">Limits this period</h2>
${table(
  'Budgets',
  ['Subject', 'Period', 'Limit', 'Used', 'Remaining', 'Resets', 'Actions'],
  budgets.items.map((b) => {
    const total = b.limit + b.raised;
    return [
      html`<span data-budget="${b.id}">${describeSubject(b.subject)}</span>`,
      b.period,
      html`<span data-field="limit">${num(total)}</span>${b.raised ? html` <small>(${num(b.limit)} + ${num(b.raised)} raised)</small>` : ''}`,
      html`<span data-field="used">${num(b.used)}</span>`,
      html`<span data-field="remaining">${num(b.remaining)}</span>
<meter min="0" max="${Math.max(total, 1)}" value="${Math.min(b.used, total)}" low="${Math.floor(total * 0.8)}" high="${Math.floor(total * 0.8)}" optimum="0" aria-label="${describeSubject(b.subject)}: ${num(b.used)} of ${num(total)} used"></meter>`,
      when(b.resetsAt),
      actions(b),
    ];
  }),
)}
</section>
<section aria-labelledby="raises-h">
<h2 id="raises-h">Raises waiting for a decision</h2>
${table(
  'Pending raises',
  ['Asked', 'Budget', 'Credits more', 'Why', 'By', 'Decision'],
  raises.items.map((r) => [
    when(r.createdAt),
    subjectOf(r.budgetId),
    num(r.amount),
    r.reason,
    r.requestedBy ?? '—',
    decide(r),
  ]),
)}
</section>
${
  canSet
    ? html`<section aria-labelledby="new-budget-h"><h2 id="new-budget-h">Set a budget</h2>
<form method="post" action="/app/budgets" class="stack">${csrfField(csrfToken)}
<label>Applies to <select name="kind">${SUBJECT_KINDS.map((k) => html`<option value="${k}">${KIND_LABELS[k]}</option>`)}</select></label>
<label>Which one (member id, key id, actor such as agent:support, or operation key) <input name="subject" required></label>
<label>Period <select name="period">${periods('month')}</select></label>
<label>Limit per period (credits) <input name="limit" inputmode="numeric" required></label>
<label>Most per debit (optional) <input name="perDebitMax" inputmode="numeric"></label>
<button type="submit" class="primary">Create budget</button>
</form></section>`
    : html`<p>Your role (${principal.role}) can see budgets but not set them.</p>`
}`,
    );
  });

  register('POST', '/app/budgets', 'saveBudget', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const kind = text(form, 'kind');
    const cap = text(form, 'perDebitMax');
    await c.get('api').send('POST', `${wsPath(c)}/budgets`, {
      // An unknown kind goes through as typed: the API's 400 names it.
      subject: { [kind || 'member']: text(form, 'subject') },
      period: text(form, 'period'),
      limit: count(text(form, 'limit')),
      ...(cap ? { perDebitMax: count(cap) } : {}),
    });
    return c.redirect('/app/budgets?done=budgetSaved', 303);
  });

  register('POST', '/app/budgets/:id', 'saveBudget', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const cap = text(form, 'perDebitMax');
    await c.get('api').send('PATCH', `/v1/budgets/${idParam(c)}`, {
      period: text(form, 'period'),
      limit: count(text(form, 'limit')),
      perDebitMax: cap ? count(cap) : null,
    });
    return c.redirect('/app/budgets?done=budgetSaved', 303);
  });

  register('POST', '/app/budgets/:id/delete', 'deleteBudget', async (c) => {
    await c.get('api').send('DELETE', `/v1/budgets/${idParam(c)}`);
    return c.redirect('/app/budgets?done=budgetDeleted', 303);
  });

  register('POST', '/app/budgets/:id/raises', 'askBudgetRaise', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    await c.get('api').send('POST', `/v1/budgets/${idParam(c)}/raises`, {
      amount: count(text(form, 'amount')),
      reason: text(form, 'reason'),
    });
    return c.redirect('/app/budgets?done=raiseAsked', 303);
  });

  for (const decision of ['approve', 'reject'] as const) {
    register(
      'POST',
      `/app/budget-raises/:id/${decision}`,
      decision === 'approve' ? 'approveBudgetRaise' : 'rejectBudgetRaise',
      async (c) => {
        await c.get('api').send('POST', `/v1/budget-raises/${idParam(c)}/${decision}`, {});
        return c.redirect(
          `/app/budgets?done=${decision === 'approve' ? 'raiseApproved' : 'raiseRejected'}`,
          303,
        );
      },
    );
  }
}
