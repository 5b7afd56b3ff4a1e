import { actorName, memberNames } from '../../../application/digest.js';
import type { UsageGroup } from '../../../ledger/reports.js';
import type { Source } from '../../../ledger/types.js';
import type { AnswerContext } from '../context.js';
import { credits, day, n } from '../format.js';
import { operationName } from '../lines.js';
import { simple } from '../replies.js';
import type { Answer, Block } from '../types.js';

/** A time window, `to` exclusive, with the words it was asked in ("this week", "yesterday"). */
export interface UsageWindow {
  from: Date;
  to: Date;
  label: string;
}

export interface UsageInWindow {
  window: UsageWindow;
  /** A member id: "what did Sam spend". */
  member?: string;
  /** An operation key: "how much did we spend on images". */
  operation?: string;
  source?: Source;
  /** Rank by member ("top spender"), by operation, or list by day. */
  groupBy?: 'member' | 'operation' | 'day';
}

/** Whether a usage group's actor is this member (debits name `member:<id>` or the bare id). */
function isMember(key: string | null, memberId: string): boolean {
  return key === memberId || key === `member:${memberId}`;
}

function debits(count: number): string {
  return `${n(count)} debit${count === 1 ? '' : 's'}`;
}

/**
 * Usage in a window, from the ledger's own usage query (what `GET /v1/workspaces/{ws}/usage` answers
 * for the same `from` and `to`), narrowed to a member or an operation, or ranked.
 */
export async function usageInWindow(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'reads' | 'catalog'>,
  params: UsageInWindow,
): Promise<Answer> {
  const { who, now, catalog } = ctx;
  const { window } = params;
  if (!(window.from.getTime() < window.to.getTime())) {
    return simple('usage', `"${window.label}" is not a time window I can read (it ends before it starts).`);
  }
  const range = { from: window.from, to: window.to };
  const first = day(window.from, now);
  const last = day(new Date(window.to.getTime() - 1), now);
  const when = `${window.label} (${first === last ? first : `${first} – ${last}`})`;
  const notes: string[] = [];
  if (params.source) {
    notes.push(
      `The usage report does not split by source, so this counts every source, not only ${params.source}.`,
    );
  }
  const [byActor, byOperation, members] = await Promise.all([
    ctx.reads.usage({ groupBy: 'actor', ...range }),
    ctx.reads.usage({ groupBy: 'operation', ...range }),
    ctx.reads.members(),
  ]);
  const names = memberNames(members);
  const opName = (key: string | null) => operationName(key, catalog);
  let headline: string;
  let lines: string[] = [];
  if (params.member) {
    const name = names.get(params.member) ?? params.member;
    const mine = byActor.groups.filter((g) => isMember(g.key, params.member!));
    const used = mine.reduce((s, g) => s + g.used, 0);
    const count = mine.reduce((s, g) => s + g.count, 0);
    if (params.operation) {
      notes.push(
        `The usage report splits by member or by operation, not both: this is everything ${name} used, not only ${opName(params.operation)}.`,
      );
    }
    headline =
      used === 0 && count === 0
        ? `${name} used no credits ${when}.`
        : `${name} used ${credits(used)} ${when} in ${debits(count)}, of ${n(byActor.total)} used by ${who.workspaceName}.`;
  } else if (params.operation) {
    const group = byOperation.groups.find((g) => g.key === params.operation);
    const name = opName(params.operation);
    headline = group
      ? `${who.workspaceName} used ${credits(group.used)} on ${name} ${when} (${debits(group.count)}), of ${n(byOperation.total)} in all.`
      : `${who.workspaceName} used no credits on ${name} ${when}.`;
  } else if (params.groupBy === 'day') {
    const byDay = await ctx.reads.usage({ groupBy: 'day', ...range });
    headline = `${who.workspaceName} used ${credits(byDay.total)} ${when}.`;
    lines = byDay.groups.map((g) => `• ${g.key}: ${n(g.used)}`);
  } else {
    const ranked: UsageGroup[] = params.groupBy === 'operation' ? byOperation.groups : byActor.groups;
    const label = (g: UsageGroup) =>
      params.groupBy === 'operation' ? opName(g.key) : actorName(g.key, names);
    const top = ranked[0];
    headline =
      byActor.total === 0 && ranked.length === 0
        ? `${who.workspaceName} used no credits ${when}.`
        : params.groupBy === 'member' && top
          ? `Top spender ${when}: ${label(top)} with ${credits(top.used)} of ${n(byActor.total)}.`
          : `${who.workspaceName} used ${credits(byOperation.total)} ${when}.`;
    lines = ranked.slice(0, 10).map((g) => `• ${label(g)}: ${n(g.used)} (${debits(g.count)})`);
    if (!params.groupBy && byOperation.groups.length > 0) {
      lines = [
        'By member:',
        ...byActor.groups.slice(0, 10).map((g) => `• ${actorName(g.key, names)}: ${n(g.used)}`),
        'By operation:',
        ...byOperation.groups.slice(0, 10).map((g) => `• ${opName(g.key)}: ${n(g.used)}`),
      ];
    }
  }
  const blocks: Block[] = [{ type: 'section', text: headline }];
  if (lines.length > 0) blocks.push({ type: 'section', text: lines.join('\n') });
  if (notes.length > 0) blocks.push({ type: 'context', text: notes.join(' ') });
  return { intent: 'usage', text: [headline, ...lines, ...notes].join('\n'), blocks };
}
