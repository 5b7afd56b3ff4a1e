import type { Catalog } from '../ledger/catalog/schema.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Reports } from '../ledger/reports.js';
import type { Member, WorkspaceDirectory } from '../ledger/workspaces.js';
import type { DigestNotification } from './notifications.js';

const DAY_MS = 24 * 3600 * 1000;

export interface DigestDeps {
  ledger: Pick<Ledger, 'now' | 'lots' | 'balance'>;
  reports: Pick<Reports, 'usage'>;
  directory: Pick<WorkspaceDirectory, 'members'>;
  catalog: Catalog;
}

/**
 * The weekly digest of one workspace: credits spent in the 7 days before `now`, by member and by
 * operation, and what expires in the next 14 days. The id is stable per workspace and week, so a
 * retried schedule never posts twice. The worker calls this and hands the result to the notifiers.
 */
export async function buildWeeklyDigest(
  deps: DigestDeps,
  workspaceId: string,
  now: Date = deps.ledger.now(),
  options: { days?: number; expiringWithinDays?: number } = {},
): Promise<DigestNotification> {
  const days = options.days ?? 7;
  const from = new Date(now.getTime() - days * DAY_MS);
  const to = new Date(now.getTime() + 1); // `to` is exclusive: include entries written at `now`
  const horizon = new Date(now.getTime() + (options.expiringWithinDays ?? 14) * DAY_MS);
  const [byActor, byOperation, members, lots, balance] = await Promise.all([
    deps.reports.usage(workspaceId, { groupBy: 'actor', from, to }),
    deps.reports.usage(workspaceId, { groupBy: 'operation', from, to }),
    deps.directory.members(workspaceId),
    deps.ledger.lots(workspaceId),
    deps.ledger.balance(workspaceId),
  ]);
  const names = memberNames(members);
  const expiring = new Map<string, { amount: number; at: string; type: string }>();
  for (const lot of lots) {
    if (!lot.expiresAt) continue;
    const at = new Date(lot.expiresAt);
    if (at <= now || at > horizon) continue;
    const key = `${lot.type}|${lot.expiresAt}`;
    const e = expiring.get(key) ?? { amount: 0, at: lot.expiresAt, type: lot.type };
    e.amount += lot.remaining;
    expiring.set(key, e);
  }
  const opName = (key: string | null) =>
    key ? (deps.catalog.operations.find((o) => o.key === key)?.name ?? key) : 'credits (no operation)';
  return {
    kind: 'digest',
    id: `digest:${workspaceId}:${isoWeek(now)}`,
    workspaceId,
    digest: {
      from: from.toISOString(),
      to: now.toISOString(),
      spent: byOperation.total,
      byMember: byActor.groups.map((g) => ({ key: actorName(g.key, names), used: g.used })),
      byOperation: byOperation.groups.map((g) => ({ key: opName(g.key), used: g.used })),
      expiringSoon: [...expiring.values()].sort((a, b) => a.at.localeCompare(b.at)),
      balance: balance.total,
    },
    occurredAt: now.toISOString(),
  };
}

/** ISO-8601 week of a date, e.g. 2026-W48 (UTC). */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dayNum = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayNum);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / DAY_MS + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Member id → display name, for usage grouped by actor (actors are member ids or API key names). */
export function memberNames(members: Member[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of members) {
    map.set(m.id, m.name);
    map.set(`member:${m.id}`, m.name);
  }
  return map;
}

export function actorName(key: string | null, names: Map<string, string>): string {
  if (!key) return 'unattributed';
  return names.get(key) ?? key;
}
