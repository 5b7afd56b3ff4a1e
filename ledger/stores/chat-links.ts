import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { chatUserMatches, type Member, rowToMember } from './members.js';

export interface ChatLink {
  platform: 'slack' | 'discord';
  team: string;
  channel: string | null;
  workspaceId: string;
}

function rowToChatLink(r: Record<string, unknown>): ChatLink {
  return {
    platform: r.platform as ChatLink['platform'],
    team: r.team as string,
    channel: (r.channel as string) || null,
    workspaceId: r.workspace_id as string,
  };
}

/**
 * The `chat_links` table: which workspace a Slack team or Discord guild, or one channel of it,
 * is about. A channel's own link wins over its team's (stored with channel '').
 */
export class ChatLinkStore {
  constructor(private readonly sql: Sql) {}

  /** Links (or moves) a team or channel to the workspace; the caller checks that the workspace exists. */
  async link(
    workspaceId: string,
    input: { platform: 'slack' | 'discord'; team: string; channel?: string | null },
  ): Promise<ChatLink> {
    if (input.platform !== 'slack' && input.platform !== 'discord') {
      throw CreditsError.field('platform', 'must be slack or discord');
    }
    if (!input.team?.trim())
      throw CreditsError.field('team', 'is required: the Slack team id or Discord guild id');
    const channel = input.channel?.trim() ?? '';
    const team = input.team.trim();
    return this.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`;
      // A second team of the platform: members bound to no team stay the first team's users.
      const column = input.platform === 'slack' ? tx`slack_team_id` : tx`discord_guild_id`;
      const userColumn = input.platform === 'slack' ? tx`slack_user_id` : tx`discord_user_id`;
      const teams = await tx`
        SELECT DISTINCT team FROM chat_links WHERE workspace_id = ${workspaceId} AND platform = ${input.platform}`;
      if (teams.length === 1 && teams[0]!.team !== team) {
        await tx`UPDATE members SET ${column} = ${teams[0]!.team as string}
                  WHERE workspace_id = ${workspaceId} AND ${userColumn} IS NOT NULL AND ${column} IS NULL`;
      }
      const [row] = await tx`
        INSERT INTO chat_links (platform, team, channel, workspace_id)
        VALUES (${input.platform}, ${team}, ${channel}, ${workspaceId})
        ON CONFLICT (platform, team, channel) DO UPDATE SET workspace_id = EXCLUDED.workspace_id
        RETURNING *`;
      return rowToChatLink(row!);
    }) as Promise<ChatLink>;
  }

  /** The workspace a chat message is about: the channel's own link wins over the team's. */
  async workspaceFor(
    platform: 'slack' | 'discord',
    team: string,
    channel?: string | null,
  ): Promise<string | null> {
    const [row] = await this.sql`
      SELECT workspace_id FROM chat_links
       WHERE platform = ${platform} AND team = ${team} AND channel IN (${channel ?? ''}, '')
       ORDER BY channel DESC LIMIT 1`;
    return (row?.workspace_id as string | undefined) ?? null;
  }

  /**
   * The workspace a chat message is about (as `workspaceFor`) and the asking user's member in it,
   * in one round trip: bots run this on every message, inside Slack's 3-second ack.
   */
  async identity(input: {
    platform: 'slack' | 'discord';
    team: string;
    channel?: string | null;
    userId: string;
  }): Promise<{ workspaceId: string; workspaceName: string; member: Member | null } | null> {
    const { platform, team, channel, userId } = input;
    const [row] = await this.sql`
      SELECT w.id AS ws_id, w.name AS ws_name,
             m.workspace_id, m.id, m.name, m.role, m.slack_user_id, m.discord_user_id
        FROM (SELECT workspace_id FROM chat_links
               WHERE platform = ${platform} AND team = ${team} AND channel IN (${channel ?? ''}, '')
               ORDER BY channel DESC LIMIT 1) l
        JOIN workspaces w ON w.id = l.workspace_id
        LEFT JOIN members m ON m.workspace_id = w.id
         AND ${chatUserMatches(this.sql, platform, userId, team)}`;
    if (!row) return null;
    return {
      workspaceId: row.ws_id as string,
      workspaceName: row.ws_name as string,
      member: row.id ? rowToMember(row) : null,
    };
  }

  async list(workspaceId: string): Promise<ChatLink[]> {
    const rows = await this
      .sql`SELECT * FROM chat_links WHERE workspace_id = ${workspaceId} ORDER BY platform, team, channel`;
    return rows.map(rowToChatLink);
  }

  /** A page of the workspaces, not canceled, with at least one linked channel: ids after `after`, in id order. */
  async workspacesWithChannels(page: { after: string | null; limit: number }): Promise<string[]> {
    const rows = await this.sql`
      SELECT DISTINCT w.id FROM workspaces w JOIN chat_links l ON l.workspace_id = w.id
       WHERE l.channel <> '' AND w.status <> 'canceled' AND (${page.after}::text IS NULL OR w.id > ${page.after})
       ORDER BY w.id LIMIT ${page.limit}`;
    return rows.map((r) => r.id as string);
  }
}
