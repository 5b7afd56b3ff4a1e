import type { Balance } from '../../../ledger/types.js';
import type { Burn } from '../burn.js';
import { WINDOW_DAYS } from '../burn.js';
import type { AnswerContext } from '../context.js';
import { credits, DAY_MS, day, daysBetween, LOT_TYPE_NAMES, n, relative } from '../format.js';
import { capitalize, simple } from '../replies.js';
import type { Answer, Field } from '../types.js';

type Reads = Pick<AnswerContext, 'who' | 'now' | 'reads' | 'burn'>;

export async function balanceAnswer(
  ctx: Reads & Pick<AnswerContext, 'catalog'>,
  params: { focus?: 'expiry' } = {},
): Promise<Answer> {
  const { who, now } = ctx;
  const focus = params.focus;
  const [balance, burn] = await Promise.all([ctx.reads.balance(), ctx.burn()]);
  const fields: Field[] = [];
  const types = Object.entries(balance.byType).filter(([, v]) => v > 0);
  fields.push({
    label: 'By type',
    value: types.length > 0 ? types.map(([t, v]) => `${LOT_TYPE_NAMES[t] ?? t} ${n(v)}`).join(' · ') : 'none',
  });
  const expiry = expiryLine(balance, now);
  fields.push({ label: 'Next expiry', value: expiry ?? 'nothing expires' });
  fields.push({
    label: 'Renewal',
    value: balance.renewal
      ? `${credits(balance.renewal.amount)} on ${day(balance.renewal.at, now)} (${relative(balance.renewal.at, now)})`
      : 'no subscription renewal',
  });
  fields.push({ label: 'Runway', value: runwayLine(balance, burn, now) });
  if (balance.held > 0)
    fields.push({ label: 'Held', value: `${credits(balance.held)} reserved by automations` });
  fields.push({ label: 'Used so far', value: credits(balance.lifetimeUsed) });
  const headline =
    focus === 'expiry' && expiry
      ? `${capitalize(expiry)}. You have ${credits(balance.total)} in total.`
      : `${who.workspaceName} has ${credits(balance.total)}.`;
  const note =
    balance.byType.subscription > 0 && types.length > 1
      ? 'Monthly credits are used first, because they expire.'
      : `Ask "why is our balance ${n(balance.total)}?" to see the lots and entries behind it.`;
  return {
    intent: 'balance',
    text: [headline, ...fields.map((f) => `${f.label}: ${f.value}`), note].join('\n'),
    blocks: [
      { type: 'section', text: headline },
      { type: 'fields', fields },
      { type: 'context', text: note },
    ],
    tone: balanceTone(balance.total, ctx.catalog.alerts.low),
  };
}

export async function renewalAnswer(ctx: Pick<AnswerContext, 'who' | 'now' | 'reads'>): Promise<Answer> {
  const { who, now } = ctx;
  const balance = await ctx.reads.balance();
  if (!balance.renewal) {
    const text = `${who.workspaceName} has no active subscription that renews, so no monthly credits will arrive. You have ${credits(balance.total)}.`;
    return simple('renewal', text);
  }
  const r = balance.renewal;
  const left = balance.byType.subscription;
  const lines = [
    `Your monthly credits reset on ${day(r.at, now)} (${relative(r.at, now)}): ${credits(r.amount)} arrive then.`,
    left > 0
      ? `The ${credits(left)} of this cycle still left expire at that moment — they don't roll over, so they're used before anything else.`
      : 'This cycle’s monthly credits are used up.',
  ];
  return simple('renewal', lines.join(' '));
}

export async function runwayAnswer(ctx: Reads): Promise<Answer> {
  const [balance, burn] = await Promise.all([ctx.reads.balance(), ctx.burn()]);
  return simple('runway', `${runwayLine(balance, burn, ctx.now)} You have ${credits(balance.total)}.`);
}

function expiryLine(balance: Balance, now: Date): string | null {
  const e = balance.nextExpiry;
  if (!e) return null;
  return `${n(e.amount)} ${LOT_TYPE_NAMES[e.type] ?? e.type} credits expire on ${day(e.at, now)} (${relative(e.at, now)})`;
}

export function runwayLine(balance: Balance, burn: Burn, now: Date): string {
  if (burn.used <= 0) return `No credits used in the last ${WINDOW_DAYS} days, so no run-out date in sight.`;
  const perDay = burn.perDay;
  const rate = `${n(Math.round(perDay))}/day over the last ${Math.round(burn.days)} day${Math.round(burn.days) === 1 ? '' : 's'}`;
  if (balance.total <= 0) return `You're out of credits (burning ${rate}).`;
  const runOut = new Date(now.getTime() + (balance.total / perDay) * DAY_MS);
  if (balance.renewal) {
    const renewal = new Date(balance.renewal.at);
    const before = daysBetween(runOut, renewal);
    if (runOut < renewal) {
      return `At this pace (${rate}) you run out around ${day(runOut, now)}, ${before === 0 ? 'just' : `${before} day${before === 1 ? '' : 's'}`} before renewal on ${day(renewal, now)}.`;
    }
    return `At this pace (${rate}) your credits last past the renewal on ${day(renewal, now)}.`;
  }
  return `At this pace (${rate}) you run out around ${day(runOut, now)}.`;
}

function balanceTone(total: number, low: number): Answer['tone'] {
  return total <= 0 ? 'danger' : total < low ? 'warning' : 'info';
}
