import { ApplicationFailure, log } from '@temporalio/activity';
import type { AlertNotification, Notification, Notifier } from '../../application/notifications.js';
import type { OutboxAlert } from '../../ledger/stores/alert-outbox.js';

export interface NotifyActivities {
  notifierNames(workspaceId: string): Promise<string[]>;
  deliver(notifier: string, notification: Notification): Promise<void>;
}

/**
 * Activities over the worker's notifiers; each notifier decides which of a workspace's channels it
 * reaches. The list is read at each call, so notifiers that need the running worker (chat
 * notifiers use its purchase service) can be pushed onto it after start.
 */
export function notifyActivities(
  notifiers: Notifier[],
  /** The alert event the ledger recorded; alerts are delivered only as recorded (see `deliver`). */
  alertEvent?: (workspaceId: string, id: string) => Promise<OutboxAlert | null>,
): NotifyActivities {
  const index = () => {
    const byName = new Map<string, Notifier>();
    for (const n of notifiers) {
      if (byName.has(n.name))
        throw new Error(`two notifiers are named ${JSON.stringify(n.name)}; names must be unique`);
      byName.set(n.name, n);
    }
    return byName;
  };
  index();
  return {
    async notifierNames() {
      return [...index().keys()];
    },
    async deliver(name, given) {
      const notification = given.kind === 'alert' && alertEvent ? await recorded(given) : given;
      const notifier = index().get(name);
      if (!notifier) {
        // Registered when the workflow asked, gone now (worker reconfigured): nothing to retry.
        log.warn('notifier no longer registered; skipping', { notifier: name, id: notification.id });
        return;
      }
      try {
        await notifier.send(notification);
      } catch (err) {
        const e = err as { retryable?: boolean; message?: string; name?: string };
        if (e?.retryable === false) {
          throw ApplicationFailure.nonRetryable(e.message ?? String(err), e.name ?? 'NotifierRefused');
        }
        throw err;
      }
    },
  };

  /**
   * Anyone who can start a workflow on the task queue can start an alert workflow with any input:
   * an alert is delivered only as the ledger recorded it (its outbox row), never as given.
   */
  async function recorded(given: AlertNotification): Promise<AlertNotification> {
    const id = /^evt_(\d+)$/.exec(given.id)?.[1];
    const event = id ? await alertEvent!(given.workspaceId, id) : null;
    if (!event) {
      throw ApplicationFailure.nonRetryable(
        `alert ${given.id} of ${given.workspaceId} is not in the ledger's outbox; not delivered`,
        'ForgedAlert',
      );
    }
    return alertNotification(event);
  }
}

/** The notification of a recorded threshold crossing (the alert workflow builds the same). */
export function alertNotification(event: OutboxAlert): AlertNotification {
  return {
    kind: 'alert',
    id: `evt_${event.id}`,
    workspaceId: event.workspaceId,
    type: event.type,
    level: event.level,
    threshold: event.threshold,
    balance: event.balance,
    ...(event.recovered ? { recovered: event.recovered } : {}),
    ...(event.budget ? { budget: event.budget } : {}),
    occurredAt: event.createdAt,
  };
}

/** Writes notifications to the worker's log; the default when no other notifier is configured. */
export class LogNotifier implements Notifier {
  readonly name = 'log';
  constructor(private readonly write: (line: string) => void = (l) => console.log(l)) {}
  async send(n: Notification): Promise<void> {
    this.write(`[notify] ${n.kind} ${n.id} ${describe(n)}`);
  }
}

export function describe(n: Notification): string {
  switch (n.kind) {
    case 'alert':
      if (n.budget) {
        return `${n.workspaceId}: budget ${n.budget.budgetId} reached ${n.budget.percent}% (${n.budget.used} of ${n.budget.limit})`;
      }
      return n.type === 'alert.recovered'
        ? `${n.workspaceId}: balance recovered to ${n.balance}`
        : `${n.workspaceId}: balance ${n.balance} is below the ${n.level} threshold (${n.threshold})`;
    case 'expiry_reminder':
      return `${n.workspaceId}: ${n.amount} ${n.lotType === 'subscription' ? 'monthly ' : ''}credits expire at ${n.expiresAt}`;
    case 'approval_request':
      return `${n.workspaceId}: approve purchase ${n.purchase.id} (${n.purchase.packageName}, ${n.purchase.credits} credits, ${n.purchase.price} ${n.purchase.currency})?`;
    case 'purchase_update':
      return `${n.workspaceId}: purchase ${n.purchase.id} is ${n.purchase.status}${n.purchase.reason ? ` (${n.purchase.reason})` : ''}`;
    case 'raise_request':
      return `${n.workspaceId}: approve raise ${n.raise.id} (${n.raise.amount} more credits of budget ${n.raise.budgetId})?`;
    case 'raise_update':
      return `${n.workspaceId}: raise ${n.raise.id} is ${n.raise.status}${n.raise.outcome ? ` (${n.raise.outcome})` : ''}`;
    case 'digest':
      return `${n.workspaceId}: weekly digest`;
  }
}
