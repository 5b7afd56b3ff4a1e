/** Workflow-side delivery: one activity per notifier, each with a stable activity id. */
import { log, proxyActivities } from '@temporalio/workflow';
import type { Notification } from '../../application/notifications.js';
import type { NotifyActivities } from './activities.js';

const { notifierNames } = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * Sends `notification` through every registered notifier, each in its own activity (activity id
 * `notify:<notifier>:<notification id>`), so a retried Slack delivery never re-sends the webhook.
 * Retries back off up to 5 minutes for a day; a notifier that still fails (or refuses for good)
 * is logged and does not fail the calling workflow.
 */
export async function notifyAll(notification: Notification): Promise<string[]> {
  const names = await notifierNames(notification.workspaceId);
  const failed: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const { deliver } = proxyActivities<NotifyActivities>({
        activityId: `notify:${name}:${notification.id}`,
        startToCloseTimeout: '30 seconds',
        scheduleToCloseTimeout: '24 hours',
        retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
      });
      try {
        await deliver(name, notification);
      } catch (err) {
        failed.push(name);
        log.warn('notification not delivered', { notifier: name, id: notification.id, error: String(err) });
      }
    }),
  );
  return failed;
}
