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
}

export interface MemberInput {
  id: string;
  name: string;
  role: Role;
  slackUserId?: string | null;
  discordUserId?: string | null;
}

export function rowToMember(r: Record<string, unknown>): Member {
  return {
    workspaceId: r.workspace_id as string,
    id: r.id as string,
    name: r.name as string,
    role: r.role as Role,
    slackUserId: (r.slack_user_id as string | null) ?? null,
    discordUserId: (r.discord_user_id as string | null) ?? null,
  };
}

/** Adds or updates a member (checked first); a chat user linked to another member is a conflict. */
export async function saveMemberRow(sql: Sql, workspaceId: string, input: MemberInput): Promise<Member> {
  if (!input.id?.trim()) throw CreditsError.field('id', 'is required');
  if (!input.name?.trim()) throw CreditsError.field('name', 'is required');
  if (!ROLES.includes(input.role)) throw CreditsError.field('role', `must be one of ${ROLES.join(', ')}`);
  try {
    const [row] = await sql`
      INSERT INTO members (workspace_id, id, name, role, slack_user_id, discord_user_id)
      VALUES (${workspaceId}, ${input.id.trim()}, ${input.name.trim()}, ${input.role},
              ${input.slackUserId ?? null}, ${input.discordUserId ?? null})
      ON CONFLICT (workspace_id, id) DO UPDATE SET
        name = EXCLUDED.name, role = EXCLUDED.role,
        slack_user_id = EXCLUDED.slack_user_id, discord_user_id = EXCLUDED.discord_user_id
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

  async byChatUser(
    workspaceId: string,
    platform: 'slack' | 'discord',
    userId: string,
  ): Promise<Member | null> {
    const [row] =
      platform === 'slack'
        ? await this
            .sql`SELECT * FROM members WHERE workspace_id = ${workspaceId} AND slack_user_id = ${userId}`
        : await this
            .sql`SELECT * FROM members WHERE workspace_id = ${workspaceId} AND discord_user_id = ${userId}`;
    return row ? rowToMember(row) : null;
  }
}
