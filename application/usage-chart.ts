import type { Catalog } from '../ledger/catalog/schema.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Reports } from '../ledger/reports.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';
import { actorName, memberNames } from './digest.js';

const DAY_MS = 24 * 3600 * 1000;
export const CHART_DAYS = 30;
/** More series than this are folded into "other": a stacked bar with 15 colours says nothing. */
const MAX_SERIES = 6;
/** The projection never runs further than this, even with a renewal far away. */
const MAX_PROJECTION_DAYS = 62;

export type UsageChartBy = 'operation' | 'member';

export interface UsageChartDeps {
  ledger: Pick<Ledger, 'balance'>;
  reports: Pick<Reports, 'dailyUsage'>;
  directory: Pick<WorkspaceDirectory, 'members'>;
  catalog: Catalog;
}

/** Everything the usage chart shows, as data: the renderer (bots/core/charts) only draws it. */
export interface UsageChartData {
  workspaceId: string;
  by: UsageChartBy;
  /** The 30 UTC days ending today, `YYYY-MM-DD`, oldest first. */
  days: string[];
  /** One series per operation (or member), biggest first; values line up with `days`. */
  series: { name: string; values: number[] }[];
  total: number;
  balance: number;
  /** Credits per day at the recent pace (the bots' burn rate). */
  perDay: number;
  renewal: { at: string; amount: number } | null;
  /** The balance projected day by day from today to the renewal (or 30 days without one). */
  projection: { day: string; balance: number }[];
  /** The day the projected balance reaches 0 before the projection ends; null if it does not. */
  runOutDay: string | null;
  /** Days until the balance runs out at this pace; null when nothing is used. */
  runwayDays: number | null;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Credits used per day over the last 30 days stacked by operation (or member), and the balance
 * projected to the renewal at `perDay`. `perDay` comes from the caller so that chart and text
 * answers share one burn rate.
 */
export async function buildUsageChart(
  deps: UsageChartDeps,
  workspaceId: string,
  options: { now: Date; perDay: number; by?: UsageChartBy },
): Promise<UsageChartData> {
  const by = options.by ?? 'operation';
  const { now } = options;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = new Date(today - (CHART_DAYS - 1) * DAY_MS);
  const days = Array.from({ length: CHART_DAYS }, (_, i) => utcDay(new Date(first.getTime() + i * DAY_MS)));
  const [rows, balance, members] = await Promise.all([
    deps.reports.dailyUsage(workspaceId, {
      by: by === 'member' ? 'actor' : 'operation',
      from: first,
      // Through the end of today (nothing is recorded later than now): whole days, read from the rollup.
      to: new Date(today + DAY_MS),
    }),
    deps.ledger.balance(workspaceId),
    by === 'member' ? deps.directory.members(workspaceId) : Promise.resolve([]),
  ]);
  const names = memberNames(members);
  const label = (key: string | null) =>
    by === 'member'
      ? actorName(key, names)
      : key
        ? (deps.catalog.operations.find((o) => o.key === key)?.name ?? key)
        : 'no operation';
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const perName = new Map<string, number[]>();
  for (const row of rows) {
    const i = dayIndex.get(row.day);
    if (i === undefined) continue;
    const name = label(row.key);
    const values = perName.get(name) ?? new Array<number>(CHART_DAYS).fill(0);
    values[i] = (values[i] ?? 0) + row.used;
    perName.set(name, values);
  }
  const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
  const ranked = [...perName.entries()]
    .map(([name, values]) => ({ name, values }))
    .sort((a, b) => sum(b.values) - sum(a.values) || a.name.localeCompare(b.name));
  const series = ranked.length > MAX_SERIES ? foldRest(ranked, MAX_SERIES - 1) : ranked;
  const perDay = Math.max(0, options.perDay);
  const projectionEnd = balance.renewal
    ? Math.min(
        MAX_PROJECTION_DAYS,
        Math.max(1, Math.ceil((new Date(balance.renewal.at).getTime() - today) / DAY_MS)),
      )
    : CHART_DAYS;
  const projection = Array.from({ length: projectionEnd + 1 }, (_, d) => ({
    day: utcDay(new Date(today + d * DAY_MS)),
    balance: Math.max(0, Math.round(balance.total - perDay * d)),
  }));
  const runwayDays = perDay > 0 ? balance.total / perDay : null;
  const runOut = projection.find((p) => p.balance === 0);
  return {
    workspaceId,
    by,
    days,
    series,
    total: sum(series.flatMap((s) => s.values)),
    balance: balance.total,
    perDay,
    renewal: balance.renewal,
    projection,
    runOutDay: runOut && balance.total > 0 ? runOut.day : balance.total <= 0 ? utcDay(now) : null,
    runwayDays,
  };
}

function foldRest(ranked: { name: string; values: number[] }[], keep: number) {
  const rest = ranked.slice(keep);
  const other = rest[0]!.values.map((_, i) => rest.reduce((s, r) => s + (r.values[i] ?? 0), 0));
  return [...ranked.slice(0, keep), { name: `other (${rest.length})`, values: other }];
}
