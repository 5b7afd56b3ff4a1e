import type { CreditPackage } from '../../../ledger/catalog/schema.js';
import { mayDo } from '../access.js';
import type { AnswerContext } from '../context.js';
import { credits, DAY_MS, day, money, n } from '../format.js';
import { simple } from '../replies.js';
import { type Answer, type Block, BUY_ACTION } from '../types.js';

/** Without a renewal, a purchase should carry the workspace this long at its pace. */
const HORIZON_DAYS = 30;

/**
 * The package to buy: the smallest that covers what the pace uses before the horizon beyond the
 * balance, else the largest (with how many of it).
 */
export function recommendPackage(
  packages: readonly CreditPackage[],
  shortfall: number,
): { pkg: CreditPackage; count: number } | null {
  const sorted = [...packages].sort((a, b) => a.credits - b.credits);
  const fits = sorted.find((p) => p.credits >= shortfall);
  if (fits) return { pkg: fits, count: 1 };
  const largest = sorted.at(-1);
  return largest ? { pkg: largest, count: Math.ceil(shortfall / largest.credits) } : null;
}

/** "we need more credits": a package from the burn rate and the runway, with a one-tap buy for requesters. */
export async function needCreditsAnswer(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'reads' | 'burn' | 'catalog' | 'platform'>,
): Promise<Answer> {
  const { who, now, catalog } = ctx;
  const [balance, burn] = await Promise.all([ctx.reads.balance(), ctx.burn()]);
  if (catalog.packages.length === 0) return simple('buy', 'The catalog offers no credit packages to buy.');
  const horizon = balance.renewal
    ? new Date(balance.renewal.at)
    : new Date(now.getTime() + HORIZON_DAYS * DAY_MS);
  const days = Math.max(1, Math.ceil((horizon.getTime() - now.getTime()) / DAY_MS));
  const needed = Math.ceil(burn.perDay * days);
  const shortfall = Math.max(0, needed - balance.total);
  const until = balance.renewal
    ? `until the renewal on ${day(horizon, now)}`
    : `for the next ${HORIZON_DAYS} days`;
  const pace =
    burn.used > 0
      ? `At ${n(Math.round(burn.perDay))} credits a day you need about ${n(needed)} ${until}; you have ${n(balance.total)}`
      : `No credits were used in the last 30 days; you have ${n(balance.total)}`;
  const pick = recommendPackage(catalog.packages, shortfall);
  if (!pick) return simple('buy', `${pace}.`);
  const { pkg, count } = pick;
  const offer = `${pkg.name} (${credits(pkg.credits)} for ${money(pkg.price, catalog.currency)})`;
  const verdict =
    shortfall === 0
      ? `${pace}, enough at this pace. If you want a cushion anyway, the smallest package is ${offer}.`
      : count === 1
        ? `${pace}: about ${n(shortfall)} short. ${offer} covers it.`
        : `${pace}: about ${n(shortfall)} short. It takes ${count} of the largest package, ${offer}.`;
  const mayBuy = mayDo(who, 'buy');
  const how = !mayBuy
    ? 'An owner, admin or member can request it; an owner or admin approves.'
    : ctx.platform === 'console'
      ? `Request it with \`buy ${pkg.key}\`; an owner or admin approves.`
      : 'Request it with the button; an owner or admin approves.';
  const blocks: Block[] = [{ type: 'section', text: verdict }];
  if (mayBuy && ctx.platform !== 'console') {
    blocks.push({
      type: 'buttons',
      buttons: [{ actionId: BUY_ACTION, label: `Buy ${pkg.name}`, value: pkg.key, style: 'primary' }],
    });
  }
  blocks.push({ type: 'context', text: how });
  return { intent: 'buy', text: `${verdict}\n${how}`, blocks };
}
