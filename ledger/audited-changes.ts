import { KEY_CHANGES_CHANNEL } from './api-keys.js';
import { type AuditInput, AuditLog } from './audit.js';
import type { Sql } from './db.js';
import { CreditsError } from './errors.js';
import { ROLES, type Role } from './types.js';
import { type Member, rowToMember, rowToWorkspace, type Workspace } from './workspaces.js';

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

  /** Adds a member or changes one (name, role, chat ids); a role change reaches every cached key at once. */
  async saveMember(
    workspaceId: string,
    input: {
      id: string;
      name: string;
      role: Role;
      slackUserId?: string | null;
      discordUserId?: string | null;
    },
    by: Actor,
  ): Promise<Member> {
    if (!input.id?.trim()) throw CreditsError.field('id', 'is required');
    if (!input.name?.trim()) throw CreditsError.field('name', 'is required');
    if (!ROLES.includes(input.role)) throw CreditsError.field('role', `must be one of ${ROLES.join(', ')}`);
    try {
      return await this.sql.begin(async (tx) => {
        const [ws] = await tx`SELECT id FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`;
        if (!ws) throw CreditsError.notFound('workspace', workspaceId);
        const [old] =
          await tx`SELECT * FROM members WHERE workspace_id = ${workspaceId} AND id = ${input.id.trim()}`;
        const [row] = await tx`
          INSERT INTO members (workspace_id, id, name, role, slack_user_id, discord_user_id)
          VALUES (${workspaceId}, ${input.id.trim()}, ${input.name.trim()}, ${input.role},
                  ${input.slackUserId ?? null}, ${input.discordUserId ?? null})
          ON CONFLICT (workspace_id, id) DO UPDATE SET
            name = EXCLUDED.name, role = EXCLUDED.role,
            slack_user_id = EXCLUDED.slack_user_id, discord_user_id = EXCLUDED.discord_user_id
          RETURNING *`;
        const before = old ? rowToMember(old) : null;
        const after = rowToMember(row!);
        const action = !before
          ? 'member.added'
          : before.role !== after.role
            ? 'member.role_changed'
            : 'member.changed';
        await this.audit.record(
          { workspaceId, action, target: after.id, before, after, ...by },
          tx as unknown as Sql,
        );
        if (before && before.role !== after.role) await tx`SELECT pg_notify(${KEY_CHANGES_CHANNEL}, '*')`;
        return after;
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new CreditsError(
          'conflict',
          'that chat user is already linked to another member of this workspace',
          {
            slackUserId: input.slackUserId,
            discordUserId: input.discordUserId,
          },
        );
      }
      throw error;
    }
  }

  /** Records a decision that changes nothing here (a purchase approved or rejected in its workflow). */
  record(entry: AuditInput): Promise<void> {
    return this.audit.record(entry);
  }
}
