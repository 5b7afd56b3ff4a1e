import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { ROLES, type Role } from '../types.js';

export interface Member {
  workspaceId: string;
  id: string;
  name: string;
  role: Role;
  slackUserId: string | null;
  discordUserId: string | null;
  /** The Slack team of `slackUserId` (null: the workspace's one linked Slack team). */
  slackTeamId: string | null;
  /** The Discord guild of `discordUserId` (null: the workspace's one linked guild). */
  discordGuildId: string | null;
}

export interface MemberInput {
  id: string;
  name: string;
  role: Role;
  slackUserId?: string | null;
  discordUserId?: string | null;
  slackTeamId?: string | null;
  discordGuildId?: string | null;
}

export function rowToMember(r: Record<string, unknown>): Member {
  return {
    workspaceId: r.workspace_id as string,
    id: r.id as string,
    name: r.name as string,
    role: r.role as Role,
    slackUserId: (r.slack_user_id as string | null) ?? null,
    discordUserId: (r.discord_user_id as string | null) ?? null,
    slackTeamId: (r.slack_team_id as string | null) ?? null,
    discordGuildId: (r.discord_guild_id as string | null) ?? null,
  };
}

/** Adds or updates a member (checked first); a chat user linked to another member is a conflict. */
export async function saveMemberRow(sql: Sql, workspaceId: string, input: MemberInput): Promise<Member> {
  if (!input.id?.trim()) throw CreditsError.field('id', 'is required');
  if (!input.name?.trim()) throw CreditsError.field('name', 'is required');
  if (!ROLES.includes(input.role)) throw CreditsError.field('role', `must be one of ${ROLES.join(', ')}`);
  for (const [platform, user, team, field] of [
    ['slack', input.slackUserId, input.slackTeamId, 'slackTeamId'],
    ['discord', input.discordUserId, input.discordGuildId, 'discordGuildId'],
  ] as const) {
    if (!user || team) continue;
    const [{ n }] = (await sql`
      SELECT count(DISTINCT team)::int AS n FROM chat_links
       WHERE workspace_id = ${workspaceId} AND platform = ${platform}`) as unknown as [{ n: number }];
    if (n > 1) {
      throw CreditsError.field(field, `is required: this workspace is linked to ${n} ${platform} teams`);
    }
  }
  try {
    const [row] = await sql`
      INSERT INTO members (workspace_id, id, name, role, slack_user_id, discord_user_id, slack_team_id, discord_guild_id)
      VALUES (${workspaceId}, ${input.id.trim()}, ${input.name.trim()}, ${input.role},
              ${input.slackUserId ?? null}, ${input.discordUserId ?? null},
              ${input.slackUserId ? (input.slackTeamId ?? null) : null},
              ${input.discordUserId ? (input.discordGuildId ?? null) : null})
      ON CONFLICT (workspace_id, id) DO UPDATE SET
        name = EXCLUDED.name, role = EXCLUDED.role,
        slack_user_id = EXCLUDED.slack_user_id, discord_user_id = EXCLUDED.discord_user_id,
        slack_team_id = EXCLUDED.slack_team_id, discord_guild_id = EXCLUDED.discord_guild_id
      RETURNING *`;
    return rowToMember(row!);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new CreditsError(
        'conflict',
        'that chat user is already linked to another member of this workspace',
        {
          slackUserId: input.slackUserId,
          discordUserId: input.discordUserId,
        },
      );
    }
    throw err;
  }
}

/** The `members` table: the people of a workspace, their role, and the chat users acting as them. */
export class MemberStore {
  constructor(private readonly sql: Sql) {}

  save(workspaceId: string, input: MemberInput): Promise<Member> {
    return saveMemberRow(this.sql, workspaceId, input);
  }

  async list(workspaceId: string): Promise<Member[]> {
    return (await this.sql`SELECT * FROM members WHERE workspace_id = ${workspaceId} ORDER BY id`).map(
      rowToMember,
    );
  }

  async get(workspaceId: string, id: string): Promise<Member | null> {
    const [row] = await this.sql`SELECT * FROM members WHERE workspace_id = ${workspaceId} AND id = ${id}`;
    return row ? rowToMember(row) : null;
  }

  /**
   * The member acting as `userId` of `team` (a Slack team or Discord guild): bound to that team,
   * or to none while every link of the workspace on that platform is to `team`. A Discord DM names
   * no guild; Discord user ids are global, so the user id alone identifies there.
   */
  async byChatUser(
    workspaceId: string,
    platform: 'slack' | 'discord',
    userId: string,
    team: string,
  ): Promise<Member | null> {
    const [row] = await this.sql`
      SELECT m.* FROM members m
       WHERE m.workspace_id = ${workspaceId} AND ${chatUserMatches(this.sql, platform, userId, team)}`;
    return row ? rowToMember(row) : null;
  }
}

/**
 * SQL condition on `m` (members): `m` is the chat user `userId` of `team`. A member bound to no
 * team is accepted only while the workspace is linked to no other team of the platform, so a
 * user of a second team or guild with the same id never acts as them.
 */
export function chatUserMatches(sql: Sql, platform: 'slack' | 'discord', userId: string, team: string) {
  const [user, bound] =
    platform === 'slack'
      ? [sql`m.slack_user_id`, sql`m.slack_team_id`]
      : [sql`m.discord_user_id`, sql`m.discord_guild_id`];
  if (platform === 'discord' && !team) return sql`${user} = ${userId}`;
  return sql`${user} = ${userId} AND (${bound} = ${team} OR (${bound} IS NULL AND NOT EXISTS (
    SELECT 1 FROM chat_links o WHERE o.workspace_id = m.workspace_id AND o.platform = ${platform} AND o.team <> ${team})))`;
}
