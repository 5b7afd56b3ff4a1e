import { buildWeeklyDigest } from '../../application/digest.js';
import type { DigestNotification } from '../../application/notifications.js';
import type { ActivityDeps } from '../deps.js';

export interface DigestActivities {
  /** Workspaces with at least one linked chat channel, in id order after `after` (a page). */
  digestWorkspaces(input: { after: string | null; limit: number }): Promise<string[]>;
  /** The digest of one workspace for the 7 days before `at` (id stable per workspace and week). */
  weeklyDigest(input: { workspaceId: string; at: string }): Promise<DigestNotification>;
}

export function digestActivities(deps: ActivityDeps): DigestActivities {
  return {
    digestWorkspaces({ after, limit }) {
      return deps.directory.workspacesWithChannels({ after, limit });
    },
    weeklyDigest({ workspaceId, at }) {
      return buildWeeklyDigest(deps, workspaceId, new Date(at));
    },
  };
}
