import { type CampaignRequest, type Estimate, estimate } from '../../../ledger/estimate.js';
import type { AnswerContext } from '../context.js';
import { credits, n } from '../format.js';
import type { Answer, Block } from '../types.js';

/** One priced line: `quantity` of an operation (with its tier/complexity params), shown as `label`. */
export interface EstimateItem {
  operation: string;
  quantity: number;
  params?: Record<string, string>;
  label?: string;
}

/**
 * "estimate 3 veo videos" / "can we afford 10 articles?": the exact quantities priced, against the
 * balance. `notes` say what the reading assumed or ignored; they are shown with the answer.
 */
export async function estimateAnswer(
  ctx: Pick<AnswerContext, 'reads' | 'catalog'>,
  params: { items: EstimateItem[]; afford: boolean; notes?: string[] },
): Promise<Answer> {
  const notes = [...(params.notes ?? [])];
  if (params.items.length === 0) {
    const text =
      notes.length > 0 ? notes.join('\n') : 'Tell me what to price, e.g. `estimate 3 veo 3.1 videos`.';
    return { intent: 'estimate', text, blocks: text.split('\n').map((t) => ({ type: 'section', text: t })) };
  }
  const balance = await ctx.reads.balance();
  const result = estimate(
    ctx.catalog,
    {
      items: params.items.map((i) => ({
        operation: i.operation,
        quantity: i.quantity,
        params: i.params ?? {},
      })),
    },
    balance.total,
  );
  const title = params.items
    .map(
      (i) =>
        `${n(i.quantity)} × ${i.label ?? ctx.catalog.operations.find((o) => o.key === i.operation)?.name ?? i.operation}`,
    )
    .join(' + ');
  return renderEstimate(result, title, params.afford, notes);
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
  ctx: Pick<AnswerContext, 'reads' | 'catalog'>,
  params: { campaign: CampaignRequest; afford: boolean; assumptions: string[] },
): Promise<Answer> {
  const balance = await ctx.reads.balance();
  const result = estimate(ctx.catalog, { campaign: params.campaign }, balance.total);
  const c = result.campaign!;
  const title = `${c.platforms} platform${c.platforms === 1 ? '' : 's'} × ${c.weeks} week${c.weeks === 1 ? '' : 's'} × ${c.postsPerWeek} posts a week = ${n(c.posts)} posts`;
  const assumed = params.assumptions.length > 0 ? `Assuming ${params.assumptions.join(', ')}. ` : '';
  return renderEstimate(result, title, params.afford, [
    assumed ? `${assumed}Say it differently to change that.` : '',
  ]);
}
