import { authorize, hasScope, type Principal } from '../../application/access.js';
import { CHAT_POLICIES, type ChatAction } from '../../application/policies.js';
import { isCreditsError } from '../../ledger/errors.js';
import type { Identity } from './identity.js';
import { refusal } from './replies.js';
import type { Answer, ChatPlatform } from './types.js';

/** The member asking, as the one access policy sees them (their role's scopes). */
export function principalOf(who: Identity, platform: ChatPlatform | 'console'): Principal {
  return {
    kind: 'member',
    workspaceId: who.workspaceId,
    memberId: who.member.id,
    name: who.member.name,
    role: who.member.role,
    channel: platform,
  };
}

/** What chat says when the policy refuses, in the asker's terms. */
function refusalText(action: ChatAction, who: Identity, detail?: string): string {
  const role = who.member.role;
  switch (action) {
    case 'buy':
      return `Viewers can ask but not buy. Ask an owner, admin or member of ${who.workspaceName} to request a package.`;
    case 'setAlerts':
      return `Only an owner or admin can change alert thresholds; you are a ${role}.`;
    case 'decide':
      return `Only an owner or admin can ${detail ?? 'decide'} purchases; you are a ${role} of ${who.workspaceName}.`;
    case 'decideRaise':
      return `Only an owner or admin can ${detail ?? 'decide'} budget raises; you are a ${role} of ${who.workspaceName}.`;
    case 'setBudget':
      return `Only an owner or admin can set budgets; you are a ${role}.`;
    case 'requestRaise':
      return `Viewers don't spend credits, so they have no budget to raise; you are a ${role}.`;
    case 'audit':
      return `Only an owner or admin can see who changed what; you are a ${role}.`;
    case 'setAutoTopUp':
      return `Only an owner or admin can change auto top-up; you are a ${role}.`;
    case 'keys':
      return `Only an owner or admin can see the API keys; you are a ${role}.`;
    default:
      return `You can't do that as a ${role} of ${who.workspaceName}.`;
  }
}

/** Null when `who` may do `action` under the policy table; otherwise the polite refusal. */
export function refuseUnlessAllowed(
  who: Identity,
  platform: ChatPlatform | 'console',
  action: ChatAction,
  detail?: string,
): Answer | null {
  try {
    authorize(principalOf(who, platform), CHAT_POLICIES[action]);
    return null;
  } catch (error) {
    if (!isCreditsError(error) || error.code !== 'forbidden') throw error;
    return refusal(refusalText(action, who, detail));
  }
}

/** Whether `who` could do `action` (for hints such as "change with …"). */
export function mayDo(who: Identity, action: ChatAction): boolean {
  const need = CHAT_POLICIES[action];
  return !('scope' in need) || hasScope(principalOf(who, 'console'), need.scope);
}
