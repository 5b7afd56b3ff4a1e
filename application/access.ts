import type { Spender } from '../ledger/commands/types.js';
import { CreditsError } from '../ledger/errors.js';
import { type Role, SCOPES, type Scope } from '../ledger/types.js';

// The scope list is the ledger's vocabulary (api_keys.scopes), shared with the API contract.
export { SCOPES, type Scope };

/** A key created without scopes: what an automation needs, nothing more. */
export const DEFAULT_KEY_SCOPES: readonly Scope[] = ['balance:read', 'credits:spend'];

/** Chat follows the same rules through the member's role. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: ['balance:read'],
  member: ['balance:read', 'credits:spend', 'purchases:request'],
  admin: SCOPES,
  owner: SCOPES,
};

export const APPROVER_ROLES: readonly Role[] = ['owner', 'admin'];

/** Where an action came from, as recorded on purchases and audit entries. */
export type Channel = 'api' | 'slack' | 'discord' | 'console' | 'web' | 'cli' | 'mcp' | 'n8n' | 'workflow';

/**
 * Who acts. Built by the adapters from what they can verify (a hashed API key, a signed chat
 * request and the member linked to it); nothing a caller writes in a body becomes a principal.
 */
export type Principal =
  | { kind: 'operator'; keyId: string | null; name: string }
  | {
      kind: 'key';
      keyId: string;
      workspaceId: string;
      name: string;
      scopes: readonly Scope[];
      /** The member the key acts as (required for `purchases:approve`). */
      memberId: string | null;
      /** When the key stops working; keys it makes may not outlive it. */
      expiresAt?: Date | null;
    }
  | {
      kind: 'member';
      workspaceId: string;
      memberId: string;
      name: string;
      role: Role;
      channel: 'slack' | 'discord' | 'console' | 'web';
    };

/** What an entry point needs. `public` needs no principal; `authenticated` any valid one. */
export type Requirement = { public: true } | { authenticated: true } | { operator: true } | { scope: Scope };

export function scopesOf(principal: Principal): readonly Scope[] {
  switch (principal.kind) {
    case 'operator':
      return SCOPES;
    case 'key':
      return principal.scopes;
    case 'member':
      return ROLE_SCOPES[principal.role];
  }
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return scopesOf(principal).includes(scope);
}

/** The workspace a principal is confined to; null for the operator. */
export function workspaceOf(principal: Principal): string | null {
  return principal.kind === 'operator' ? null : principal.workspaceId;
}

/**
 * Throws `forbidden` (403) unless `principal` meets `requirement`: naming the missing scope in
 * `details.missingScope`, or saying that the operator key is needed.
 */
export function authorize(principal: Principal, requirement: Requirement): void {
  if ('public' in requirement || 'authenticated' in requirement) return;
  if ('operator' in requirement) {
    if (principal.kind !== 'operator') {
      throw new CreditsError('forbidden', 'this needs the operator key', { required: 'operator' });
    }
    return;
  }
  if (!hasScope(principal, requirement.scope)) {
    const who =
      principal.kind === 'member'
        ? `a ${principal.role} (${ROLE_SCOPES[principal.role].join(', ')})`
        : `this key (scopes: ${scopesOf(principal).join(', ') || 'none'})`;
    throw new CreditsError('forbidden', `${requirement.scope} is needed; ${who} does not have it`, {
      missingScope: requirement.scope,
    });
  }
}

/** Scopes from a request: known names only, no duplicates; a key made without any gets the defaults. */
export function parseScopes(raw: readonly string[] | undefined, field = 'scopes'): Scope[] {
  if (raw === undefined) return [...DEFAULT_KEY_SCOPES];
  const unknown = raw.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw CreditsError.field(
      field,
      `unknown scope ${unknown.map((s) => JSON.stringify(s)).join(', ')}; known: ${SCOPES.join(', ')}`,
    );
  }
  return SCOPES.filter((s) => raw.includes(s));
}

/** How the audit log names an actor. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'operator':
      return principal.keyId ? `key:${principal.keyId}` : 'operator';
    case 'key':
      return `key:${principal.keyId}`;
    case 'member':
      return `member:${principal.memberId}`;
  }
}

/** The audit log's actor and channel of a principal acting through `channel`. */
export function auditActor(principal: Principal, channel: Channel): { actor: string; channel: Channel } {
  return { actor: actorOf(principal), channel };
}

/**
 * Who decides a purchase or a budget raise when `principal` presses approve or reject: the member bound to the key
 * (or the chat member); only the operator may name another member, and must name one. Nothing in
 * a request body decides who approves.
 */
export function deciderOf(principal: Principal, named: string | undefined): string {
  if (principal.kind === 'operator') {
    if (!named)
      throw CreditsError.field('by', 'is required with the operator key: the owner or admin who decides');
    return named;
  }
  const own = principal.memberId;
  if (!own) {
    throw new CreditsError('forbidden', 'this key is not bound to a member, so it cannot approve or reject', {
      missingScope: 'purchases:approve',
    });
  }
  if (named !== undefined && named !== own) {
    throw new CreditsError(
      'forbidden',
      `only the operator key may decide as another member; this key acts as ${own}`,
      {
        by: named,
      },
    );
  }
  return own;
}

/**
 * Who spends, for budgets: from the credentials, never from a body. A key bound to a member spends
 * as that member; a console member as themself.
 */
export function spenderOf(principal: Principal): Spender {
  switch (principal.kind) {
    case 'key':
      return { apiKeyId: principal.keyId, memberId: principal.memberId };
    case 'member':
      return { memberId: principal.memberId };
    default:
      return { apiKeyId: principal.keyId };
  }
}
