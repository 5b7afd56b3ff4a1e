import { createHash } from 'node:crypto';
import type { Sql } from './db.js';
import { CreditsError } from './errors.js';
import { ROLES, type Role, STATUSES, type SubscriptionStatus } from './types.js';

export interface Workspace {
  id: string;
  name: string;
  plan: string;
  status: SubscriptionStatus;
  billingAnchor: string;
  settings: Record<string, unknown>;
  createdAt: string;
}

export interface Member {
  workspaceId: string;
  id: string;
  name: string;
  role: Role;
  slackUserId: string | null;
  discordUserId: string | null;
}

export interface ChatLink {
  platform: 'slack' | 'discord';
  team: string;
  channel: string | null;
  workspaceId: string;
}

const WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function rowToWorkspace(r: Record<string, unknown>): Workspace {
  return {
    id: r.id as string,
    name: r.name as string,
    plan: r.plan as string,
    status: r.status as SubscriptionStatus,
    billingAnchor: (r.billing_anchor as Date).toISOString(),
    settings: (r.settings as Record<string, unknown>) ?? {},
    createdAt: (r.created_at as Date).toISOString(),
  };
}

export interface MemberInput {
  id: string;
  name: string;
  role: Role;
  slackUserId?: string | null;
  discordUserId?: string | null;
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

/** Workspaces, members, chat links and API keys: who may act on which balance. */
export class WorkspaceDirectory {
  constructor(
    private readonly sql: Sql,
    private readonly plans: { has(key: string): boolean; keys(): string[] },
  ) {}

  async createWorkspace(input: {
    id: string;
    name: string;
    plan: string;
    status: SubscriptionStatus;
    billingAnchor?: Date | string;
  }): Promise<Workspace> {
    if (!WORKSPACE_ID.test(input.id)) {
      throw CreditsError.field(
        'id',
        'must be 1–63 lowercase letters, digits, "-" or "_", starting with a letter or digit',
      );
    }
    if (!input.name?.trim()) throw CreditsError.field('name', 'is required');
    this.checkPlan(input.plan);
    this.checkStatus(input.status);
    const anchor = input.billingAnchor ? new Date(input.billingAnchor) : new Date();
    if (Number.isNaN(anchor.getTime()))
      throw CreditsError.field('billingAnchor', 'must be an ISO-8601 date-time');
    const rows = await this.sql`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor)
      VALUES (${input.id}, ${input.name.trim()}, ${input.plan}, ${input.status}, ${anchor})
      ON CONFLICT (id) DO NOTHING RETURNING *`;
    if (rows.length === 0) {
      throw new CreditsError('conflict', `workspace ${JSON.stringify(input.id)} already exists`, {
        id: input.id,
      });
    }
    return rowToWorkspace(rows[0]!);
  }

  async workspace(id: string): Promise<Workspace> {
    const [row] = await this.sql`SELECT * FROM workspaces WHERE id = ${id}`;
    if (!row) throw CreditsError.notFound('workspace', id);
    return rowToWorkspace(row);
  }

  /** The workspace, or null when there is none with this id. */
  async findWorkspace(id: string): Promise<Workspace | null> {
    const [row] = await this.sql`SELECT * FROM workspaces WHERE id = ${id}`;
    return row ? rowToWorkspace(row) : null;
  }

  async hasWorkspaces(): Promise<boolean> {
    const [row] = await this.sql`SELECT EXISTS (SELECT 1 FROM workspaces) AS any`;
    return row!.any === true;
  }

  /** Ids of the workspaces whose subscription runs (active or trialing), in id order. */
  async runningWorkspaceIds(): Promise<string[]> {
    const rows = await this.sql`SELECT id FROM workspaces WHERE status IN ('active', 'trialing') ORDER BY id`;
    return rows.map((r) => r.id as string);
  }

  /** Ids of the active workspaces whose auto top-up policy is enabled. */
  async autoTopUpWorkspaceIds(): Promise<string[]> {
    const rows = await this.sql`
      SELECT id FROM workspaces
       WHERE status = 'active' AND (settings->'autoTopUp'->>'enabled')::boolean IS TRUE`;
    return rows.map((r) => r.id as string);
  }

  /** A page of the workspaces, not canceled, with at least one linked chat channel: ids after `after`, in id order. */
  async workspacesWithChannels(page: { after: string | null; limit: number }): Promise<string[]> {
    const rows = await this.sql`
      SELECT DISTINCT w.id FROM workspaces w JOIN chat_links l ON l.workspace_id = w.id
       WHERE l.channel <> '' AND w.status <> 'canceled' AND (${page.after}::text IS NULL OR w.id > ${page.after})
       ORDER BY w.id LIMIT ${page.limit}`;
    return rows.map((r) => r.id as string);
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.sql`SELECT * FROM workspaces ORDER BY id`).map(rowToWorkspace);
  }

  async updateWorkspace(
    id: string,
    patch: { plan?: string; status?: SubscriptionStatus; name?: string; settings?: Record<string, unknown> },
  ): Promise<Workspace> {
    if (patch.plan !== undefined) this.checkPlan(patch.plan);
    if (patch.status !== undefined) this.checkStatus(patch.status);
    if (patch.name !== undefined && !patch.name.trim()) throw CreditsError.field('name', 'must not be empty');
    const [row] = await this.sql`
      UPDATE workspaces SET
        plan = coalesce(${patch.plan ?? null}, plan),
        status = coalesce(${patch.status ?? null}, status),
        name = coalesce(${patch.name?.trim() ?? null}, name),
        settings = settings || ${JSON.stringify(patch.settings ?? {})}::text::jsonb,
        updated_at = now()
      WHERE id = ${id} RETURNING *`;
    if (!row) throw CreditsError.notFound('workspace', id);
    return rowToWorkspace(row);
  }

  async addMember(workspaceId: string, input: MemberInput): Promise<Member> {
    await this.workspace(workspaceId);
    return saveMemberRow(this.sql, workspaceId, input);
  }

  async members(workspaceId: string): Promise<Member[]> {
    return (await this.sql`SELECT * FROM members WHERE workspace_id = ${workspaceId} ORDER BY id`).map(
      rowToMember,
    );
  }

  async member(workspaceId: string, id: string): Promise<Member | null> {
    const [row] = await this.sql`SELECT * FROM members WHERE workspace_id = ${workspaceId} AND id = ${id}`;
    return row ? rowToMember(row) : null;
  }

  async memberByChatUser(
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

  async linkChat(
    workspaceId: string,
    input: { platform: 'slack' | 'discord'; team: string; channel?: string | null },
  ): Promise<ChatLink> {
    await this.workspace(workspaceId);
    if (input.platform !== 'slack' && input.platform !== 'discord') {
      throw CreditsError.field('platform', 'must be slack or discord');
    }
    if (!input.team?.trim())
      throw CreditsError.field('team', 'is required: the Slack team id or Discord guild id');
    const channel = input.channel?.trim() ?? '';
    const [row] = await this.sql`
      INSERT INTO chat_links (platform, team, channel, workspace_id)
      VALUES (${input.platform}, ${input.team.trim()}, ${channel}, ${workspaceId})
      ON CONFLICT (platform, team, channel) DO UPDATE SET workspace_id = EXCLUDED.workspace_id
      RETURNING *`;
    return {
      platform: row!.platform,
      team: row!.team,
      channel: row!.channel || null,
      workspaceId: row!.workspace_id,
    };
  }

  /** The workspace a chat message is about: the channel's own link wins over the team's. */
  async workspaceForChat(
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
   * The workspace a chat message is about (as `workspaceForChat`: the channel's own link wins
   * over the team's) and the asking user's member in it, in one round trip: bots run this on
   * every message, inside Slack's 3-second ack.
   */
  async chatIdentity(input: {
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
         AND ${platform === 'slack' ? this.sql`m.slack_user_id` : this.sql`m.discord_user_id`} = ${userId}`;
    if (!row) return null;
    return {
      workspaceId: row.ws_id as string,
      workspaceName: row.ws_name as string,
      member: row.id ? rowToMember(row) : null,
    };
  }

  async chatLinks(workspaceId: string): Promise<ChatLink[]> {
    const rows = await this
      .sql`SELECT * FROM chat_links WHERE workspace_id = ${workspaceId} ORDER BY platform, team, channel`;
    return rows.map((r) => ({
      platform: r.platform,
      team: r.team,
      channel: r.channel || null,
      workspaceId: r.workspace_id,
    }));
  }

  private checkPlan(plan: string): void {
    if (!this.plans.has(plan))
      throw CreditsError.field('plan', `unknown plan; known plans: ${this.plans.keys().join(', ')}`);
  }

  private checkStatus(status: string): void {
    if (!STATUSES.includes(status as SubscriptionStatus)) {
      throw CreditsError.field('status', `must be one of ${STATUSES.join(', ')}`);
    }
  }
}
