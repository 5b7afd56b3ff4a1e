import { actorName, memberNames } from '../../../application/digest.js';
import type { UsageChartBy } from '../../../application/usage-chart.js';
import { WINDOW_DAYS } from '../burn.js';
import { usageChartFile } from '../charts/index.js';
import type { BotCore } from '../core.js';
import { credits, DAY_MS, day, n } from '../format.js';
import type { Identity } from '../identity.js';
import { entryLine, knownNames, operationName } from '../lines.js';
import type { Parsed } from '../parse.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

export async function historyAnswer(
  core: BotCore,
  who: Identity,
  now: Date,
  parsed: Extract<Parsed, { intent: 'history' }>,
): Promise<Answer> {
  if (parsed.unknownOperation) {
    return simple('history', `I don't know "${parsed.unknownOperation}". ${knownNames(core.catalog)}`);
  }
  const page = await core.deps.reports.transactions(who.workspaceId, {
    limit: parsed.limit,
    ...(parsed.operation ? { operation: parsed.operation } : {}),
  });
  const opName = parsed.operation
    ? core.catalog.operations.find((o) => o.key === parsed.operation)?.name
    : undefined;
  const title = `Last ${page.items.length} ${opName ? `${opName} ` : ''}entr${page.items.length === 1 ? 'y' : 'ies'} of ${who.workspaceName}`;
  if (page.items.length === 0) {
    return simple('history', opName ? `No ${opName} entries yet.` : 'No entries yet.');
  }
  const lines = page.items.map((t) => entryLine(t, now, core.catalog));
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

export async function usageAnswer(
  core: BotCore,
  who: Identity,
  now: Date,
  by: UsageChartBy = 'operation',
): Promise<Answer> {
  const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const to = new Date(now.getTime() + 1);
  const [byActor, byOperation, members] = await Promise.all([
    core.deps.reports.usage(who.workspaceId, { groupBy: 'actor', from, to }),
    core.deps.reports.usage(who.workspaceId, { groupBy: 'operation', from, to }),
    core.deps.directory.members(who.workspaceId),
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
    .map((g) => `• ${operationName(g.key, core.catalog)}: ${n(g.used)} (${g.count}×)`);
  const headline = `${who.workspaceName} used ${credits(byOperation.total)} in the last ${WINDOW_DAYS} days (${day(from, now)} – ${day(now, now)}).`;
  const chart = await usageChartFile(core, { id: who.workspaceId, name: who.workspaceName }, now, by);
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
