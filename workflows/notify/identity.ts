import { ApplicationFailure } from '@temporalio/activity';
import type { ChatIdentity, MemberIdentityNotification } from '../../application/notifications.js';
import type { AuditEntry } from '../../ledger/stores/audit-log.js';

export interface IdentityActivities {
  /** The announcement of audit entry `auditId`, read from the audit log; refused when there is none. */
  recordedIdentityChange(workspaceId: string, auditId: string): Promise<MemberIdentityNotification>;
}

/**
 * Anyone who can start a workflow on the task queue could ask for an announcement: only a change
 * the audit log holds (`member.chat_identity_changed` of that workspace) is announced, as recorded.
 */
export function identityActivities(
  auditEntry: (workspaceId: string, id: string) => Promise<AuditEntry | null>,
): IdentityActivities {
  return {
    async recordedIdentityChange(workspaceId, auditId) {
      const entry = await auditEntry(workspaceId, auditId);
      if (entry?.action !== 'member.chat_identity_changed' || !entry.target) {
        throw ApplicationFailure.nonRetryable(
          `audit entry ${auditId} of ${workspaceId} is no chat identity change; nothing announced`,
          'ForgedAnnouncement',
        );
      }
      return {
        kind: 'member_identity_changed',
        id: `identity_${entry.id}`,
        workspaceId,
        memberId: entry.target,
        actor: entry.actor,
        channel: entry.channel,
        before: entry.before as ChatIdentity,
        after: entry.after as ChatIdentity,
        occurredAt: entry.at,
      };
    },
  };
}
