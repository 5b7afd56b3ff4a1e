import type { Member, WorkspaceDirectory } from '../../ledger/workspaces.js';
import { refuse } from './replies.js';
import type { Answer, Asker } from './types.js';

export interface Identity {
  workspaceId: string;
  workspaceName: string;
  member: Member;
}

export type Identified = { ok: true; identity: Identity } | { ok: false; answer: Answer };

/** Resolves who asks and about which workspace, or a refusal saying what the operator must link. */
export async function identify(directory: WorkspaceDirectory, asker: Asker): Promise<Identified> {
  if (asker.platform === 'console') {
    const member = await directory.member(asker.workspaceId, asker.memberId);
    if (!member) {
      return refuse(
        `There is no member "${asker.memberId}" in workspace "${asker.workspaceId}". ` +
          'Start with --workspace and --member naming an existing member (npm start seeds demo / demo-owner).',
      );
    }
    const ws = await directory.workspace(asker.workspaceId);
    return { ok: true, identity: { workspaceId: ws.id, workspaceName: ws.name, member } };
  }
  const platformName = asker.platform === 'slack' ? 'Slack' : 'Discord';
  const teamWord = asker.platform === 'slack' ? 'Slack workspace' : 'Discord server';
  // One round trip: this runs on every message, inside Slack's 3-second ack.
  const found = await directory.chatIdentity({
    platform: asker.platform,
    team: asker.teamId,
    channel: asker.channelId ?? null,
    userId: asker.userId,
  });
  if (!found) {
    const body = JSON.stringify({
      platform: asker.platform,
      team: asker.teamId,
      ...(asker.channelId ? { channel: asker.channelId } : {}),
    });
    return refuse(
      `This ${teamWord} (or channel) is not linked to a Credits workspace yet, so I can't tell whose credits you mean. ` +
        `An operator can link it: POST /v1/workspaces/{workspace}/chat-links ${body}`,
    );
  }
  const { workspaceId, workspaceName, member } = found;
  if (!member) {
    const field = asker.platform === 'slack' ? 'slackUserId' : 'discordUserId';
    return refuse(
      `Your ${platformName} account is not linked to a member of workspace "${workspaceId}". ` +
        `Ask an operator to add you: POST /v1/workspaces/${workspaceId}/members {"id": "…", "name": "…", "role": "member", "${field}": "${asker.userId}"}`,
    );
  }
  return { ok: true, identity: { workspaceId, workspaceName, member } };
}
