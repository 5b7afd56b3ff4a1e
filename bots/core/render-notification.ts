import type { Notification } from '../../application/notifications.js';
import { usageChartFile } from './charts/index.js';
import type { BotCore } from './core.js';
import { credits, day, LOT_TYPE_NAMES, n, relative } from './format.js';
import type { Answer, Block } from './types.js';

/** What a notification says in a channel, platform-neutral. Purchases go through the core (member names). */
export async function renderNotification(core: BotCore, notification: Notification): Promise<Answer> {
  const at = new Date(notification.occurredAt);
  switch (notification.kind) {
    case 'alert': {
      if (notification.budget) {
        const b = notification.budget;
        const text = `Budget ${b.budgetId} is at ${b.percent}%: ${credits(b.used)} of ${n(b.limit)} used this period (resets ${day(b.resetsAt, at)}).`;
        return {
          intent: 'notification',
          text,
          blocks: [
            { type: 'section', text },
            {
              type: 'context',
              text: `Workspace ${notification.workspaceId}. Whoever hit it may ask for a raise.`,
            },
          ],
          tone: b.percent >= 100 ? 'danger' : 'warning',
        };
      }
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
      // The digest carries the usage chart (last 30 days and the projection), drawn at send time.
      const name = await core.deps.directory.workspace(notification.workspaceId).then(
        (w) => w.name,
        () => notification.workspaceId,
      );
      const chart = await usageChartFile(core.chartDeps(), { id: notification.workspaceId, name }, at);
      if (chart)
        blocks.push({
          type: 'context',
          text: 'Chart: credits per day over the last 30 days, and the balance projected to the renewal.',
        });
      return { intent: 'notification', text, blocks, tone: 'info', ...(chart ? { files: [chart] } : {}) };
    }
    case 'approval_request':
    case 'purchase_update':
      return core.purchaseMessage(notification.purchase);
    case 'raise_request':
    case 'raise_update':
      return core.raiseDesk.message(notification.raise, notification.budget);
  }
}
