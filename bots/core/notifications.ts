import type { DigestNotification, Notification } from '../../application/notifications.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import type { Sql } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { usage } from '../../ledger/reports.js';
import type { Directory } from '../../ledger/workspaces.js';
import { actorName, type BotCore, memberNames } from './core.js';
import { credits, DAY_MS, day, LOT_TYPE_NAMES, n, relative } from './format.js';
import type { Answer, Block } from './types.js';

export interface DigestDeps {
  sql: Sql;
  ledger: Ledger;
  directory: Directory;
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
    usage(deps.sql, workspaceId, { groupBy: 'actor', from, to }),
    usage(deps.sql, workspaceId, { groupBy: 'operation', from, to }),
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

/** What a notification says in a channel, platform-neutral. Purchases go through the core (member names). */
export async function renderNotification(core: BotCore, notification: Notification): Promise<Answer> {
  const at = new Date(notification.occurredAt);
  switch (notification.kind) {
    case 'alert': {
      const levelText: Record<string, string> = {
        'alert.low': `Low balance: ${credits(notification.balance)} left, below the low threshold of ${n(notification.threshold ?? 0)}.`,
        'alert.critical': `Critical balance: only ${credits(notification.balance)} left (threshold ${n(notification.threshold ?? 0)}).`,
        'alert.depleted': 'Credits depleted: the balance is 0. Debits are refused until credits are added.',
        'alert.recovered': `Balance recovered: ${credits(notification.balance)}${notification.recovered?.length ? ` (above ${notification.recovered.join(', ')} again)` : ''}.`,
      };
      const text = levelText[notification.type] ?? `Balance alert: ${credits(notification.balance)}.`;
      const hint =
        notification.type === 'alert.recovered'
          ? ''
          : ' Buy more with `/credits buy small` (owners and admins approve).';
      return {
        intent: 'notification',
        text: `${text}${hint}`,
        blocks: [
          { type: 'section', text },
          { type: 'context', text: `Workspace ${notification.workspaceId}${hint}` },
        ],
        tone:
          notification.type === 'alert.recovered'
            ? 'good'
            : notification.type === 'alert.low'
              ? 'warning'
              : 'danger',
      };
    }
    case 'expiry_reminder': {
      const text = `${n(notification.amount)} ${LOT_TYPE_NAMES[notification.lotType] ?? notification.lotType} credits expire ${relative(notification.expiresAt, at)} (${day(notification.expiresAt, at)}).`;
      return {
        intent: 'notification',
        text,
        blocks: [
          { type: 'section', text },
          {
            type: 'context',
            text: `Workspace ${notification.workspaceId} · use them first: they don't roll over.`,
          },
        ],
        tone: 'warning',
      };
    }
    case 'digest': {
      const d = notification.digest;
      const period = `${day(d.from, at)} – ${day(d.to, at)}`;
      const members = d.byMember.slice(0, 8).map((m) => `• ${m.key}: ${n(m.used)}`);
      const ops = d.byOperation.slice(0, 8).map((o) => `• ${o.key}: ${n(o.used)}`);
      const expiring = d.expiringSoon.map(
        (e) =>
          `• ${n(e.amount)} ${LOT_TYPE_NAMES[e.type] ?? e.type} on ${day(e.at, at)} (${relative(e.at, at)})`,
      );
      const headline = `Weekly credits digest (${period}): ${credits(d.spent)} spent; balance ${n(d.balance)}.`;
      const blocks: Block[] = [
        { type: 'header', text: 'Weekly credits digest' },
        { type: 'section', text: headline },
      ];
      if (members.length > 0) blocks.push({ type: 'section', text: `By member:\n${members.join('\n')}` });
      if (ops.length > 0) blocks.push({ type: 'section', text: `By operation:\n${ops.join('\n')}` });
      blocks.push({
        type: 'section',
        text:
          expiring.length > 0
            ? `Expiring soon:\n${expiring.join('\n')}`
            : 'Nothing expires in the next two weeks.',
      });
      const text = [
        headline,
        'By member:',
        ...members,
        'By operation:',
        ...ops,
        'Expiring soon:',
        ...expiring,
      ].join('\n');
      return { intent: 'notification', text, blocks, tone: 'info' };
    }
    case 'approval_request':
    case 'purchase_update':
      return core.purchaseMessage(notification.purchase);
  }
}
