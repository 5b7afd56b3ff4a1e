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
    async digestWorkspaces({ after, limit }) {
      const rows = await deps.sql`
        SELECT DISTINCT w.id FROM workspaces w JOIN chat_links l ON l.workspace_id = w.id
         WHERE l.channel <> '' AND w.status <> 'canceled' AND (${after}::text IS NULL OR w.id > ${after})
         ORDER BY w.id LIMIT ${limit}`;
      return rows.map((r) => r.id as string);
    },
    weeklyDigest({ workspaceId, at }) {
      return buildWeeklyDigest(deps, workspaceId, new Date(at));
    },
  };
}
