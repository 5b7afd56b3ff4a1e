import { type Estimate, estimate } from '../../../ledger/estimate.js';
import type { BotCore } from '../core.js';
import { credits, n } from '../format.js';
import type { Identity } from '../identity.js';
import { knownNames } from '../lines.js';
import type { ItemsParse, Parsed } from '../parse.js';
import type { Answer, Block } from '../types.js';

export async function estimateAnswer(
  core: BotCore,
  who: Identity,
  items: ItemsParse,
  afford: boolean,
): Promise<Answer> {
  const notes: string[] = [];
  for (const a of items.ambiguous) {
    notes.push(`"${a.phrase}" could be ${a.candidates.slice(0, 4).join(' or ')} — say which.`);
  }
  for (const u of items.unknown) notes.push(`I don't know "${u}". ${knownNames(core.catalog)}`);
  if (items.items.length === 0) {
    return {
      intent: 'estimate',
      text: notes.join('\n'),
      blocks: notes.map((t) => ({ type: 'section', text: t })),
    };
  }
  for (const i of items.items.filter((i) => i.fuzzy))
    notes.push(`Reading "${i.phrase}" as ${i.resolved.label}.`);
  const balance = await core.deps.ledger.balance(who.workspaceId);
  const result = estimate(
    core.catalog,
    {
      items: items.items.map((i) => ({
        operation: i.resolved.operation,
        quantity: i.quantity,
        params: { ...i.resolved.params, ...(i.complexity ? { complexity: i.complexity } : {}) },
      })),
    },
    balance.total,
  );
  const title = items.items.map((i) => `${n(i.quantity)} × ${i.resolved.label}`).join(' + ');
  return renderEstimate(result, title, afford, notes);
}

function renderEstimate(result: Estimate, title: string, afford: boolean, notes: string[]): Answer {
  const cost =
    result.min === result.max
      ? credits(result.max)
      : `${n(result.min)}–${credits(result.max)} (expected ${n(result.expected)})`;
  const verdict = result.affordable
    ? `You have ${credits(result.balance)}: enough${result.min === result.max ? '' : ' even at the top of the range'}, leaving ${n(result.balance - result.max)}.`
    : result.affordableAtExpected
      ? `You have ${credits(result.balance)}: enough at the expected cost, ${n(result.shortfall)} short at worst.`
      : `You have ${credits(result.balance)}: not enough — ${n(result.shortfall)} short.`;
  const lead = afford
    ? `${result.affordable ? 'Yes' : result.affordableAtExpected ? 'Probably' : 'No'}. `
    : '';
  const headline = `${lead}${title}: ${cost}.`;
  const breakdown = result.breakdown.map((b) => b.description);
  const alternatives = result.alternatives.slice(0, 3).map((a) => a.suggestion);
  const cleanNotes = notes.filter(Boolean);
  const text = [
    headline,
    verdict,
    ...(breakdown.length > 1 ? breakdown : []),
    ...alternatives.map((a) => `Cheaper: ${a}`),
    ...cleanNotes,
  ].join('\n');
  const blocks: Block[] = [
    { type: 'section', text: `${headline}\n${verdict}` },
    {
      type: 'fields',
      fields: result.breakdown.map((b) => ({
        label: `${n(b.quantity)} × ${b.name}`,
        value: b.description,
      })),
    },
  ];
  if (alternatives.length > 0)
    blocks.push({
      type: 'section',
      text: `Cheaper options:\n${alternatives.map((a) => `• ${a}`).join('\n')}`,
    });
  if (cleanNotes.length > 0) blocks.push({ type: 'context', text: cleanNotes.join(' ') });
  return {
    intent: afford ? 'afford' : 'estimate',
    text,
    blocks,
    tone: result.affordable ? 'good' : result.affordableAtExpected ? 'warning' : 'danger',
  };
}

/** "a 2-week campaign on 3 platforms, 5 posts a week": platforms × weeks × posts, priced by complexity. */
export async function campaignAnswer(
  core: BotCore,
  who: Identity,
  parsed: Extract<Parsed, { intent: 'campaign' }>,
): Promise<Answer> {
  const balance = await core.deps.ledger.balance(who.workspaceId);
  const result = estimate(core.catalog, { campaign: parsed.campaign }, balance.total);
  const c = result.campaign!;
  const title = `${c.platforms} platform${c.platforms === 1 ? '' : 's'} × ${c.weeks} week${c.weeks === 1 ? '' : 's'} × ${c.postsPerWeek} posts a week = ${n(c.posts)} posts`;
  const assumed = parsed.assumptions.length > 0 ? `Assuming ${parsed.assumptions.join(', ')}. ` : '';
  return renderEstimate(result, title, parsed.afford, [
    assumed ? `${assumed}Say it differently to change that.` : '',
  ]);
}
