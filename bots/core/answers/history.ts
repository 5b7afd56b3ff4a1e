import { actorName, memberNames } from '../../../application/digest.js';
import type { UsageChartBy } from '../../../application/usage-chart.js';
import { WINDOW_DAYS } from '../burn.js';
import type { AnswerContext } from '../context.js';
import { credits, DAY_MS, day, n } from '../format.js';
import { entryLine, operationName } from '../lines.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

/** `history [operation]`: the latest ledger entries. */
export async function historyAnswer(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'reads' | 'catalog'>,
  params: { limit: number; operation?: string },
): Promise<Answer> {
  const { who, now, catalog } = ctx;
  const page = await ctx.reads.transactions({
    limit: params.limit,
    ...(params.operation ? { operation: params.operation } : {}),
  });
  const opName = params.operation
    ? catalog.operations.find((o) => o.key === params.operation)?.name
    : undefined;
  const title = `Last ${page.items.length} ${opName ? `${opName} ` : ''}entr${page.items.length === 1 ? 'y' : 'ies'} of ${who.workspaceName}`;
  if (page.items.length === 0) {
    return simple('history', opName ? `No ${opName} entries yet.` : 'No entries yet.');
  }
  const lines = page.items.map((t) => entryLine(t, now, catalog));
  return {
    intent: 'history',
    text: [`${title}:`, ...lines].join('\n'),
    blocks: [
      { type: 'section', text: `${title}:` },
      { type: 'section', text: lines.join('\n') },
      ...(page.nextCursor
        ? [{ type: 'context' as const, text: 'Older entries: GET /v1/workspaces/{ws}/transactions' }]
        : []),
    ],
  };
}

/** `usage [by member]`: the last 30 days by member and by operation, with the chart. */
export async function usageAnswer(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'reads' | 'catalog' | 'usageChart'>,
  params: { by?: UsageChartBy } = {},
): Promise<Answer> {
  const { who, now } = ctx;
  const by = params.by ?? 'operation';
  const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const to = new Date(now.getTime() + 1);
  const [byActor, byOperation, members] = await Promise.all([
    ctx.reads.usage({ groupBy: 'actor', from, to }),
    ctx.reads.usage({ groupBy: 'operation', from, to }),
    ctx.reads.members(),
  ]);
  if (byOperation.total === 0 && byOperation.groups.length === 0) {
    return simple('usage', `${who.workspaceName} used no credits in the last ${WINDOW_DAYS} days.`);
  }
  const names = memberNames(members);
  const memberLines = byActor.groups
    .slice(0, 10)
    .map((g) => `• ${actorName(g.key, names)}: ${n(g.used)} (${g.count} debit${g.count === 1 ? '' : 's'})`);
  const opLines = byOperation.groups
    .slice(0, 10)
    .map((g) => `• ${operationName(g.key, ctx.catalog)}: ${n(g.used)} (${g.count}×)`);
  const headline = `${who.workspaceName} used ${credits(byOperation.total)} in the last ${WINDOW_DAYS} days (${day(from, now)} – ${day(now, now)}).`;
  const chart = await ctx.usageChart(by);
  const chartNote =
    by === 'member'
      ? 'Chart: credits per day by member, and the balance projected to the renewal.'
      : 'Chart: credits per day by operation, and the balance projected to the renewal. Ask `usage by member` for members.';
  return {
    intent: 'usage',
    text: [headline, 'By member:', ...memberLines, 'By operation:', ...opLines].join('\n'),
    blocks: [
      { type: 'section', text: headline },
      { type: 'section', text: `By member:\n${memberLines.join('\n')}` },
      { type: 'section', text: `By operation:\n${opLines.join('\n')}` },
      ...(chart ? [{ type: 'context' as const, text: chartNote }] : []),
    ],
    ...(chart ? { files: [chart] } : {}),
  };
}
