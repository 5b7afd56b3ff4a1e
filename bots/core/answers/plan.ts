import type { AnswerContext } from '../context.js';
import { credits, day, LOT_TYPE_NAMES, money, n, relative } from '../format.js';
import { simple } from '../replies.js';
import type { Answer, Field } from '../types.js';

const STATUS_WORDS: Record<string, string> = {
  active: 'active',
  trialing: 'on a trial',
  past_due: 'past due (the last payment failed)',
  canceled: 'canceled',
};

/** "what plan are we on?": the plan, the subscription's status, the monthly credits and the next renewal. */
export async function planAnswer(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'reads' | 'catalog'>,
): Promise<Answer> {
  const { who, now, catalog } = ctx;
  const [workspace, balance] = await Promise.all([ctx.reads.workspace(), ctx.reads.balance()]);
  const plan = catalog.plans.find((p) => p.key === workspace.plan);
  const name = plan?.name ?? workspace.plan;
  const status = STATUS_WORDS[workspace.status] ?? workspace.status;
  const headline = `${who.workspaceName} is on the ${name} plan; the subscription is ${status}.`;
  const fields: Field[] = [];
  if (plan) {
    const per = plan.kind === 'trial' ? 'once' : 'each month';
    fields.push({ label: 'Credits', value: `${credits(plan.credits)} ${per}` });
    const prices = Object.entries(plan.prices ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${money(v as number, catalog.currency)} ${k === 'once' ? 'once' : k}`);
    if (prices.length > 0) fields.push({ label: 'Price', value: prices.join(' or ') });
  }
  fields.push({
    label: 'Renewal',
    value: balance.renewal
      ? `${credits(balance.renewal.amount)} on ${day(balance.renewal.at, now)} (${relative(balance.renewal.at, now)})`
      : 'no renewal scheduled',
  });
  fields.push({ label: 'Billing anchor', value: day(workspace.billingAnchor, now) });
  const text = [headline, ...fields.map((f) => `${f.label}: ${f.value}`)].join('\n');
  return {
    intent: 'balance',
    text,
    blocks: [
      { type: 'section', text: headline },
      { type: 'fields', fields },
    ],
  };
}

/** "subscription vs purchased credits": the balance by kind of credit, and how each behaves. */
export async function creditTypesAnswer(ctx: Pick<AnswerContext, 'who' | 'now' | 'reads'>): Promise<Answer> {
  const { who, now } = ctx;
  const [balance, lots] = await Promise.all([ctx.reads.balance(), ctx.reads.lots()]);
  const sub = balance.byType.subscription ?? 0;
  const bought = balance.byType.purchased ?? 0;
  const others = Object.entries(balance.byType).filter(
    ([t, v]) => t !== 'subscription' && t !== 'purchased' && v > 0,
  );
  const subExpiry = lots
    .filter((l) => l.type === 'subscription' && l.remaining > 0 && l.expiresAt)
    .map((l) => l.expiresAt as string)
    .sort()[0];
  const lines = [
    `${who.workspaceName} has ${credits(balance.total)}: ${n(sub)} subscription and ${n(bought)} purchased${others.map(([t, v]) => `, ${n(v)} ${LOT_TYPE_NAMES[t] ?? t}`).join('')}.`,
    sub > 0
      ? `Subscription credits are used first; ${subExpiry ? `they expire on ${day(subExpiry, now)} (${relative(subExpiry, now)}) and ` : ''}don't roll over.`
      : 'No subscription credits are left this cycle.',
    bought > 0 ? 'Purchased credits are used after them and last longer.' : 'No purchased credits.',
  ];
  return simple('balance', lines.join(' '));
}
