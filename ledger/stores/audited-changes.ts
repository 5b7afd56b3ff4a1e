import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { KEY_CHANGES_CHANNEL, revokeKeysMadeBy } from './api-keys.js';
import { type AuditInput, AuditLog } from './audit-log.js';
import { type Member, type MemberInput, rowToMember, saveMemberRow } from './members.js';
import { rowToWorkspace, type Workspace } from './workspaces.js';

const APPROVERS: readonly string[] = ['owner', 'admin'];

export type Actor = Pick<AuditInput, 'actor' | 'channel'>;

/**
 * Changes of who may do what and of a workspace's policies, each written together with its audit
 * entry in one transaction (both or neither), and serialised per workspace by a row lock, so two
 * concurrent changes never lose one another.
 */
export class AuditedChanges {
  private readonly audit: AuditLog;

  constructor(private readonly sql: Sql) {
    this.audit = new AuditLog(sql);
  }

  /**
   * Replaces `settings[key]` with `change(current)`; `change` may throw to refuse (nothing is
   * written then). Returns the workspace as changed.
   */
  async changeSetting(
    workspaceId: string,
    key: 'alerts' | 'autoTopUp',
    change: (current: unknown) => unknown,
    by: Actor,
    action: string,
  ): Promise<Workspace> {
    return this.sql.begin(async (tx) => {
      const [row] = await tx`SELECT settings FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`;
      if (!row) throw CreditsError.notFound('workspace', workspaceId);
      const before = (row.settings as Record<string, unknown>)[key] ?? null;
      const after = change(before);
      const [updated] = await tx`
        UPDATE workspaces SET settings = jsonb_set(settings, ${[key]}::text[], ${JSON.stringify(after)}::text::jsonb),
               updated_at = now()
         WHERE id = ${workspaceId} RETURNING *`;
      await this.audit.record(
        { workspaceId, action, target: key, before, after, ...by },
        tx as unknown as Sql,
      );
      return rowToWorkspace(updated!);
    });
  }

  /**
   * Adds a member or changes one (name, role, chat ids); a role change reaches every cached key at
   * once. `check` sees the member as it is inside the transaction and may throw to refuse. A change
   * of the chat users acting as a member gets its own audit entry (`member.chat_identity_changed`).
   */
  async saveMember(
    workspaceId: string,
    input: MemberInput,
    by: Actor,
    check?: (before: Member | null) => void,
  ): Promise<{ member: Member; identityChange: string | null }> {
    return this.sql.begin(async (tx) => {
      let identityChange: string | null = null;
      const [ws] = await tx`SELECT id FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`;
      if (!ws) throw CreditsError.notFound('workspace', workspaceId);
      const [old] =
        await tx`SELECT * FROM members WHERE workspace_id = ${workspaceId} AND id = ${input.id?.trim() ?? ''}`;
      const before = old ? rowToMember(old) : null;
      check?.(before);
      const after = await saveMemberRow(tx as unknown as Sql, workspaceId, input);
      const action = !before
        ? 'member.added'
        : before.role !== after.role
          ? 'member.role_changed'
          : 'member.changed';
      await this.audit.record(
        { workspaceId, action, target: after.id, before, after, ...by },
        tx as unknown as Sql,
      );
      if (
        before &&
        (before.slackUserId !== after.slackUserId ||
          before.discordUserId !== after.discordUserId ||
          before.slackTeamId !== after.slackTeamId ||
          before.discordGuildId !== after.discordGuildId)
      ) {
        const identity = (m: Member) => ({
          slackUserId: m.slackUserId,
          discordUserId: m.discordUserId,
          ...(m.slackTeamId ? { slackTeamId: m.slackTeamId } : {}),
          ...(m.discordGuildId ? { discordGuildId: m.discordGuildId } : {}),
        });
        identityChange = await this.audit.record(
          {
            workspaceId,
            action: 'member.chat_identity_changed',
            target: after.id,
            before: identity(before),
            after: identity(after),
            ...by,
          },
          tx as unknown as Sql,
        );
      }
      if (before && before.role !== after.role) {
        await tx`SELECT pg_notify(${KEY_CHANGES_CHANNEL}, '*')`;
        if (APPROVERS.includes(before.role) && !APPROVERS.includes(after.role)) {
          // Their approving keys stop working (checked at authentication); what those keys made goes for good.
          const makers = await tx`
            SELECT id FROM api_keys
             WHERE workspace_id = ${workspaceId} AND member_id = ${after.id} AND 'purchases:approve' = ANY(scopes)`;
          await revokeKeysMadeBy(
            tx as unknown as Sql,
            makers.map((r) => r.id as string),
            by,
            `${after.id} is no longer an owner or admin`,
          );
        }
      }
      return { member: after, identityChange };
    });
  }

  /** Records a decision that changes nothing here (a purchase approved or rejected in its workflow). */
  async record(entry: AuditInput): Promise<void> {
    await this.audit.record(entry);
  }
}
