import { CreditsError } from '../ledger/errors.js';
import type { Actor, AuditedChanges } from '../ledger/stores/audited-changes.js';
import { ROLES } from '../ledger/types.js';
import type { Member, MemberInput, WorkspaceDirectory } from '../ledger/workspaces.js';
import {
  APPROVER_ROLES,
  auditActor,
  authorize,
  type Channel,
  hasScope,
  type Principal,
  ROLE_SCOPES,
  workspaceOf,
} from './access.js';
import type { LifecycleHooks } from './lifecycle.js';

/**
 * Whether `principal` acts with an owner's authority in `workspaceId`: the operator, an owner in
 * chat or the console, or a key bound to a member who is an owner now.
 */
async function actsAsOwner(
  directory: WorkspaceDirectory,
  principal: Principal,
  workspaceId: string,
): Promise<boolean> {
  if (principal.kind === 'operator') return true;
  if (principal.kind === 'member') return principal.role === 'owner';
  if (!principal.memberId) return false;
  return (await directory.member(workspaceId, principal.memberId))?.role === 'owner';
}

function ownerNeeded(message: string): CreditsError {
  return new CreditsError('forbidden', `${message}: this needs the operator or an owner`, {
    required: 'owner',
  });
}

/**
 * Adds or changes a member as `principal` (members:manage). A role is a bundle of scopes, so a
 * caller grants only roles whose scopes it holds itself; owner and admin roles, and any change to
 * an owner or admin (their role or the chat users that act as them), need the operator or an owner.
 * The check runs in the change's transaction, against the member as it is then.
 */
export async function saveMember(
  deps: {
    directory: WorkspaceDirectory;
    changes: AuditedChanges;
    lifecycle?: Pick<LifecycleHooks, 'onMemberIdentityChanged'>;
  },
  principal: Principal,
  workspaceId: string,
  input: MemberInput,
  channel: Channel,
): Promise<Member> {
  const own = workspaceOf(principal);
  if (own !== null && own !== workspaceId) throw CreditsError.notFound('workspace', workspaceId);
  authorize(principal, { scope: 'members:manage' });
  if (!ROLES.includes(input.role)) throw CreditsError.field('role', `must be one of ${ROLES.join(', ')}`);
  const missing = ROLE_SCOPES[input.role].filter((scope) => !hasScope(principal, scope));
  if (missing.length > 0) {
    throw new CreditsError(
      'forbidden',
      `a ${input.role} may ${missing.join(', ')}, which this caller may not; a caller grants only roles whose scopes it holds`,
      { missingScope: missing[0] },
    );
  }
  const owner = await actsAsOwner(deps.directory, principal, workspaceId);
  if (!owner && APPROVER_ROLES.includes(input.role)) throw ownerNeeded(`making ${input.id} an ${input.role}`);
  const by: Actor = auditActor(principal, channel);
  const saved = await deps.changes.saveMember(workspaceId, input, by, (before) => {
    if (!owner && before && APPROVER_ROLES.includes(before.role)) {
      throw ownerNeeded(`${before.id} is an ${before.role}; changing them`);
    }
  });
  if (saved.identityChange && deps.lifecycle?.onMemberIdentityChanged) {
    // Committed and audited already; a failed announcement must not turn the change into an error.
    await deps.lifecycle.onMemberIdentityChanged(workspaceId, saved.identityChange).catch((err: unknown) => {
      console.error(`chat identity change of ${saved.member.id} not announced:`, err);
    });
  }
  return saved.member;
}
