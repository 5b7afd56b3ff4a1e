import { patched, proxyActivities } from '@temporalio/workflow';
import type { AutoTopUpActivities } from '../auto-top-up/activities.js';
import { restartPendingRefunds } from '../refund/workflows.js';
import type { ExpiryActivities } from './activities.js';

const acts = proxyActivities<ExpiryActivities & AutoTopUpActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * Run by the `credits-maintenance` Temporal Schedule (every minute by default): writes the expiry
 * entries of purchased (and any other) lots past their validity, which also fires the alerts those
 * expiries cause, then checks auto top-up policies whose threshold no alert covers, then starts
 * the refund flow of refunds the provider has not been asked for (the API died before starting it).
 */
export async function maintenanceWorkflow(): Promise<{ expiredEntries: number; topUps: number }> {
  const expired = await acts.expireDueLots();
  const topUps = await acts.sweepAutoTopUp();
  if (patched('restart-pending-refunds')) await restartPendingRefunds();
  return { expiredEntries: expired.entries, topUps: topUps.started };
}
