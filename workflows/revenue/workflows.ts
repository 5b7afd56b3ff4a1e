import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RevenueActivities } from './activities.js';

const acts = proxyActivities<RevenueActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    maximumAttempts: 20,
  },
});

/**
 * Run by the `credits-revenue-report` schedule on the first of each month: the month before as CSV
 * to the operator's webhook. The month is the one before the run's start (the scheduled time).
 */
export async function monthlyRevenueWorkflow(): Promise<{ month: string; bytes: number } | null> {
  return acts.sendMonthlyRevenue({ at: workflowInfo().runStartTime.toISOString() });
}
