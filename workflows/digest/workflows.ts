import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import { notifyAll } from '../notify/workflow.js';
import type { DigestActivities } from './activities.js';

const acts = proxyActivities<DigestActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 10 },
});

const PAGE = 100;

/**
 * Run weekly by the `credits-weekly-digest` Schedule: posts each workspace's digest (spent by
 * member and operation, what expires soon) to its linked channels. Pages through workspaces and
 * continues as new per page, so the history stays small however many workspaces there are; the
 * digest's id is stable per workspace and week, so a re-run posts nothing twice.
 */
export async function weeklyDigestWorkflow(
  input: { after?: string | null; at?: string } = {},
): Promise<number> {
  const at = input.at ?? new Date(Date.now()).toISOString();
  const page = await acts.digestWorkspaces({ after: input.after ?? null, limit: PAGE });
  for (const workspaceId of page) {
    const digest = await acts.weeklyDigest({ workspaceId, at });
    await notifyAll(digest);
  }
  if (page.length === PAGE) await continueAsNew<typeof weeklyDigestWorkflow>({ after: page.at(-1)!, at });
  return page.length;
}
