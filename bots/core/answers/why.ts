import type { AnswerContext } from '../context.js';
import { credits, day, LOT_TYPE_NAMES, n } from '../format.js';
import { entryLine } from '../lines.js';
import { capitalize } from '../replies.js';
import type { Answer } from '../types.js';

/** "why is our balance 840?": the lots behind the balance and the latest entries. */
export async function whyAnswer(
  ctx: Pick<AnswerContext, 'now' | 'reads' | 'catalog'>,
  params: { claimed?: number } = {},
): Promise<Answer> {
  const { now, reads } = ctx;
  const { claimed } = params;
  const [balance, lots, recent] = await Promise.all([
    reads.balance(),
    reads.lots(),
    reads.transactions({ limit: 8 }),
  ]);
  const live = lots.filter((l) => !l.expiresAt || new Date(l.expiresAt) > now);
  const lotLines = live.map((l) => {
    const origin = typeof l.source.reason === 'string' ? ` — ${l.source.reason}` : '';
    const expires = l.expiresAt ? `expires ${day(l.expiresAt, now)}` : 'never expires';
    return `• ${capitalize(LOT_TYPE_NAMES[l.type] ?? l.type)}: ${n(l.remaining)} of ${n(l.amount)} left, granted ${day(l.grantedAt, now)}, ${expires}${origin}`;
  });
  const sum = live.reduce((s, l) => s + l.remaining, 0);
  const opening =
    claimed !== undefined && claimed !== balance.total
      ? `Your balance is ${credits(balance.total)} now (not ${n(claimed)}). `
      : '';
  const arithmetic =
    live.length === 0
      ? 'No lot holds credits right now.'
      : `${live.map((l) => n(l.remaining)).join(' + ')} = ${n(sum)} in ${live.length} lot${live.length === 1 ? '' : 's'}` +
        (balance.held > 0 ? `, minus ${n(balance.held)} held by automations = ${n(balance.total)}.` : '.');
  const entryLines = recent.items.map((t) => entryLine(t, now, ctx.catalog));
  const text = [
    `${opening}Your balance is the credits left in each lot:`,
    ...lotLines,
    arithmetic,
    `Used so far: ${credits(balance.lifetimeUsed)}. Latest entries:`,
    ...entryLines,
  ].join('\n');
  return {
    intent: 'why',
    text,
    blocks: [
      { type: 'section', text: `${opening}${arithmetic}` },
      { type: 'section', text: lotLines.join('\n') || 'No lot holds credits.' },
      { type: 'context', text: `Used so far: ${credits(balance.lifetimeUsed)}` },
      {
        type: 'section',
        text: entryLines.length > 0 ? `Latest entries:\n${entryLines.join('\n')}` : 'No entries yet.',
      },
    ],
  };
}
