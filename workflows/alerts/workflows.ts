import { proxyActivities } from '@temporalio/workflow';
import type { AlertNotification } from '../../application/notifications.js';
import type { AutoTopUpActivities } from '../auto-top-up/activities.js';
import { notifyAll } from '../notify/workflow.js';
import type { AlertEventInput } from './types.js';

const { checkAutoTopUp } = proxyActivities<AutoTopUpActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/**
 * Delivers one threshold crossing (workflow id `alert-<event id>`: the dispatcher may try to
 * start it twice, Temporal refuses the second). A downward crossing also gives the workspace's
 * auto top-up policy a chance to act.
 */
export async function alertWorkflow(event: AlertEventInput): Promise<void> {
  const notification: AlertNotification = {
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
  await notifyAll(notification);
  // A budget's threshold says nothing about the balance: no top-up for it.
  if (event.type !== 'alert.recovered' && event.type !== 'budget.threshold') {
    await checkAutoTopUp({ workspaceId: event.workspaceId, trigger: `alert:${event.id}` });
  }
}
