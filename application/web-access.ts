import { randomBytes } from 'node:crypto';
import { CreditsError } from '../ledger/errors.js';
import type { WebAccessStore } from '../ledger/stores/web-access.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';
import { actorOf, authorize, hasScope, type Principal, ROLE_SCOPES, workspaceOf } from './access.js';
import { secretDigest } from './api-keys.js';

/** A login link works once, for this long. */
export const LOGIN_LINK_TTL_MS = 10 * 60_000;
/** A session nobody used for this long is over. */
export const DEFAULT_IDLE_MS = 30 * 60_000;
export const EMBED_TTL_DEFAULT_SECONDS = 600;
export { EMBED_TTL_MAX_SECONDS } from '../ledger/types.js';

const secret = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;

export type SignIn =
  | { ok: true; sessionToken: string; csrfToken: string; workspaceId: string; memberId: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** A signed-in member of the web console, as every request sees them (role read afresh). */
export interface WebSession {
  principal: Extract<Principal, { kind: 'member' }>;
  csrfToken: string;
}

/**
 * Sign-in without passwords for the web console, and tokens for the embeddable widget. Secrets
 * are random 256-bit values handed out once; only their SHA-256 digests are stored.
 */
export class WebAccess {
  constructor(
    private readonly deps: {
      store: WebAccessStore;
      directory: Pick<WorkspaceDirectory, 'member' | 'workspace'>;
      clock?: () => Date;
      idleMs?: number;
    },
  ) {}

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  get idleMs(): number {
    return this.deps.idleMs ?? DEFAULT_IDLE_MS;
  }

  /**
   * A single-use link for `memberId`. A member may always ask for their own; anyone else needs
   * `members:manage` and every scope of the member's role: a link is that member's powers, so a
   * caller may not mint one for someone who could do more than it can.
   */
  async createLoginLink(
    principal: Principal,
    workspaceId: string,
    memberId: string,
    baseUrl: string,
  ): Promise<{ url: string; token: string; expiresAt: string }> {
    const own = principal.kind === 'member' && principal.memberId === memberId;
    if (!own) authorize(principal, { scope: 'members:manage' });
    const confined = workspaceOf(principal);
    if (confined !== null && confined !== workspaceId) throw CreditsError.notFound('workspace', workspaceId);
    await this.deps.directory.workspace(workspaceId);
    const member = await this.deps.directory.member(workspaceId, memberId);
    if (!member) throw CreditsError.notFound('member', memberId);
    const missing = ROLE_SCOPES[member.role].filter((s) => !hasScope(principal, s));
    if (!own && missing.length > 0) {
      throw new CreditsError(
        'forbidden',
        `a sign-in link for ${memberId} (${member.role}) would grant ${missing.join(', ')}, which this caller does not hold`,
        { missingScope: missing[0] },
      );
    }
    const token = secret('cl');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS);
    await this.deps.store.insertLink({
      digest: secretDigest(token),
      workspaceId,
      memberId,
      createdBy: actorOf(principal),
      now,
      expiresAt,
    });
    const url = `${baseUrl.replace(/\/+$/, '')}/app/sign-in/${token}`;
    return { url, token, expiresAt: expiresAt.toISOString() };
  }

  /** Spends a link and opens a session; a used, expired or unknown link says which. */
  async signIn(token: string): Promise<SignIn> {
    const now = this.now();
    const used = await this.deps.store.useLink(secretDigest(token), now);
    if (!used.ok) return used;
    const sessionToken = secret('cs');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.deps.store.insertSession({
      digest: secretDigest(sessionToken),
      workspaceId: used.workspaceId,
      memberId: used.memberId,
      csrfToken,
      now,
    });
    return { ok: true, sessionToken, csrfToken, workspaceId: used.workspaceId, memberId: used.memberId };
  }

  /** The session behind a cookie, with the member's current role; null if over, idle or unknown. */
  async session(sessionToken: string): Promise<WebSession | null> {
    const now = this.now();
    const stored = await this.deps.store.touchSession(
      secretDigest(sessionToken),
      now,
      new Date(now.getTime() - this.idleMs),
    );
    if (!stored) return null;
    const member = await this.deps.directory.member(stored.workspaceId, stored.memberId);
    if (!member) return null;
    return {
      csrfToken: stored.csrfToken,
      principal: {
        kind: 'member',
        workspaceId: stored.workspaceId,
        memberId: member.id,
        name: member.name,
        role: member.role,
        channel: 'web',
      },
    };
  }

  async signOut(sessionToken: string): Promise<void> {
    await this.deps.store.endSession(secretDigest(sessionToken), this.now());
  }

  /** A short-lived token the host product's page hands to the widget (balance only). */
  async createEmbedToken(
    principal: Principal,
    workspaceId: string,
    ttlSeconds = EMBED_TTL_DEFAULT_SECONDS,
  ): Promise<{ token: string; expiresAt: string }> {
    authorize(principal, { scope: 'balance:read' });
    const confined = workspaceOf(principal);
    if (confined !== null && confined !== workspaceId) throw CreditsError.notFound('workspace', workspaceId);
    await this.deps.directory.workspace(workspaceId);
    const token = secret('ce');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    await this.deps.store.insertEmbedToken({
      digest: secretDigest(token),
      workspaceId,
      createdBy: actorOf(principal),
      now,
      expiresAt,
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** The workspace an embed token shows, or null when unknown or expired. */
  async embedWorkspace(token: string): Promise<string | null> {
    return this.deps.store.embedWorkspace(secretDigest(token), this.now());
  }
}
