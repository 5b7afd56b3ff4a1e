import type { Sql } from './db.js';
import { type ChatLink, ChatLinkStore } from './stores/chat-links.js';
import { type Member, type MemberInput, MemberStore } from './stores/members.js';
import { type Workspace, type WorkspacePatch, WorkspaceStore } from './stores/workspaces.js';
import type { SubscriptionStatus } from './types.js';

export type { ChatLink } from './stores/chat-links.js';
export type { Member, MemberInput } from './stores/members.js';
export type { Workspace } from './stores/workspaces.js';

/**
 * Who may act on which balance: the workspaces, their members and the chat teams and channels
 * linked to them, one store per table (ledger/stores/). The directory is what the other layers
 * use; it checks the workspace exists before writing a member or a link.
 */
export class WorkspaceDirectory {
  private readonly workspaces: WorkspaceStore;
  private readonly memberRows: MemberStore;
  private readonly links: ChatLinkStore;

  constructor(sql: Sql, plans: { has(key: string): boolean; keys(): string[] }) {
    this.workspaces = new WorkspaceStore(sql, plans);
    this.memberRows = new MemberStore(sql);
    this.links = new ChatLinkStore(sql);
  }

  createWorkspace(input: {
    id: string;
    name: string;
    plan: string;
    status: SubscriptionStatus;
    billingAnchor?: Date | string;
  }): Promise<Workspace> {
    return this.workspaces.create(input);
  }

  workspace(id: string): Promise<Workspace> {
    return this.workspaces.get(id);
  }

  /** The workspace, or null when there is none with this id. */
  findWorkspace(id: string): Promise<Workspace | null> {
    return this.workspaces.find(id);
  }

  hasWorkspaces(): Promise<boolean> {
    return this.workspaces.any();
  }

  /** Ids of the workspaces whose subscription runs (active or trialing), in id order. */
  runningWorkspaceIds(): Promise<string[]> {
    return this.workspaces.runningIds();
  }

  /** Ids of the active workspaces whose auto top-up policy is enabled. */
  autoTopUpWorkspaceIds(): Promise<string[]> {
    return this.workspaces.autoTopUpIds();
  }

  /** A page of the workspaces, not canceled, with at least one linked chat channel: ids after `after`, in id order. */
  workspacesWithChannels(page: { after: string | null; limit: number }): Promise<string[]> {
    return this.links.workspacesWithChannels(page);
  }

  listWorkspaces(): Promise<Workspace[]> {
    return this.workspaces.list();
  }

  updateWorkspace(id: string, patch: WorkspacePatch): Promise<Workspace> {
    return this.workspaces.update(id, patch);
  }

  async addMember(workspaceId: string, input: MemberInput): Promise<Member> {
    await this.workspaces.get(workspaceId);
    return this.memberRows.save(workspaceId, input);
  }

  members(workspaceId: string): Promise<Member[]> {
    return this.memberRows.list(workspaceId);
  }

  member(workspaceId: string, id: string): Promise<Member | null> {
    return this.memberRows.get(workspaceId, id);
  }

  memberByChatUser(
    workspaceId: string,
    platform: 'slack' | 'discord',
    userId: string,
  ): Promise<Member | null> {
    return this.memberRows.byChatUser(workspaceId, platform, userId);
  }

  async linkChat(
    workspaceId: string,
    input: { platform: 'slack' | 'discord'; team: string; channel?: string | null },
  ): Promise<ChatLink> {
    await this.workspaces.get(workspaceId);
    return this.links.link(workspaceId, input);
  }

  /** The workspace a chat message is about: the channel's own link wins over the team's. */
  workspaceForChat(
    platform: 'slack' | 'discord',
    team: string,
    channel?: string | null,
  ): Promise<string | null> {
    return this.links.workspaceFor(platform, team, channel);
  }

  /**
   * The workspace a chat message is about (as `workspaceForChat`) and the asking user's member in
   * it, in one round trip: bots run this on every message, inside Slack's 3-second ack.
   */
  chatIdentity(input: {
    platform: 'slack' | 'discord';
    team: string;
    channel?: string | null;
    userId: string;
  }): Promise<{ workspaceId: string; workspaceName: string; member: Member | null } | null> {
    return this.links.identity(input);
  }

  chatLinks(workspaceId: string): Promise<ChatLink[]> {
    return this.links.list(workspaceId);
  }
}
