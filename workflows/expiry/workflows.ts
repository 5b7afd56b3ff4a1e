import { proxyActivities } from '@temporalio/workflow';
import type { AutoTopUpActivities } from '../auto-top-up/activities.js';
import type { ExpiryActivities } from './activities.js';

const acts = proxyActivities<ExpiryActivities & AutoTopUpActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * Run by the `credits-maintenance` Temporal Schedule (every minute by default): writes the expiry
 * entries of purchased (and any other) lots past their validity, which also fires the alerts those
 * expiries cause, then checks auto top-up policies whose threshold no alert covers.
 */
export async function maintenanceWorkflow(): Promise<{ expiredEntries: number; topUps: number }> {
  const expired = await acts.expireDueLots();
  const topUps = await acts.sweepAutoTopUp();
  return { expiredEntries: expired.entries, topUps: topUps.started };
}
