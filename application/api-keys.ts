import { hash } from 'node:crypto';
import { CreditsError } from '../ledger/errors.js';
import type { ApiKeyInfo, ApiKeyStore, AuthenticatedKey } from '../ledger/stores/api-keys.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';
import {
  APPROVER_ROLES,
  actorOf,
  authorize,
  type Channel,
  hasScope,
  type Principal,
  parseScopes,
  type Scope,
  workspaceOf,
} from './access.js';

const CACHE_MAX = 10_000;
/** Without a LISTEN connection a cached key is trusted this long; with one, changes land at once. */
const CACHE_MS = 10_000;
/**
 * With the LISTEN connection every change to what a lookup returns is announced (revocation, role
 * change, '*' after a reconnect) and expiry is checked on each use, so a lookup is repeated only
 * as a safety net against a lost notification; at 10 s, 1,000 active keys cost 100 lookups a second.
 */
const WATCHED_CACHE_MS = 60_000;
const TOUCH_EVERY_MS = 5_000;

/** How long, and for how many secrets, an unknown secret is answered from memory (issue 24, Low 11). */
const UNKNOWN_CACHE_MS = 60_000;
const UNKNOWN_CACHE_MAX = 10_000;

/** SHA-256 of a presented secret: the key cache's key; the API also compares it with the operator secret's. */
export function secretDigest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

export interface CreateKeyInput {
  name: string;
  scopes?: string[];
  memberId?: string | null;
  expiresAt?: string | null;
}

/** A looked-up key and who it makes the caller (or why it no longer works), built once per lookup. */
interface CacheEntry {
  at: number;
  key: AuthenticatedKey;
  principal: Principal | string;
}

function principalOf(key: AuthenticatedKey): Principal | string {
  if (key.workspaceId === null) return { kind: 'operator', keyId: key.keyId, name: key.name };
  const scopes = key.scopes as Scope[];
  if (scopes.includes('purchases:approve') && !(key.memberRole && APPROVER_ROLES.includes(key.memberRole))) {
    return `this key approves as member ${key.memberId ?? '(none)'}, who is no longer an owner or admin; the key no longer works`;
  }
  return {
    kind: 'key',
    keyId: key.keyId,
    workspaceId: key.workspaceId,
    name: key.name,
    scopes,
    memberId: key.memberId,
    expiresAt: key.expiresAt,
  };
}

/**
 * API keys as a use case: who may make which key, revoke it, and what a presented secret may do.
 * Lookups are cached (by the secret's hash) and the cache is emptied by LISTEN/NOTIFY as soon as any
 * process revokes a key or changes a role, so a revocation reaches every replica at once.
 */
export class ApiKeys {
  private readonly cache = new Map<string, CacheEntry>();
  /** Hashes of secrets that matched no key, and when: asked again, they cost no query for a while. */
  private readonly unknown = new Map<string, number>();
  private readonly used = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private watching: { unlisten(): Promise<void> } | null = null;

  constructor(
    private readonly deps: { store: ApiKeyStore; directory: WorkspaceDirectory; clock?: () => Date },
  ) {}

  /** Subscribes to key changes from every process; call once per process that authenticates. */
  async watch(): Promise<void> {
    if (this.watching) return;
    this.watching = await this.deps.store.watch((id) => {
      if (id === '*') this.cache.clear();
      else for (const [hash, entry] of this.cache) if (entry.key.keyId === id) this.cache.delete(hash);
    });
    this.timer = setInterval(() => void this.flushTouches(), TOUCH_EVERY_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushTouches();
    await this.watching?.unlisten().catch(() => {});
    this.watching = null;
  }

  /**
   * The principal behind a secret, or null when it is unknown, revoked or expired. `digest` is
   * `secretDigest(secret)` when the caller has it already.
   */
  async authenticate(secret: string, digest?: Buffer): Promise<Principal | null> {
    if (secret.length > 512) return null;
    const now = this.deps.clock?.() ?? new Date();
    const hash = (digest ?? secretDigest(secret)).toString('base64');
    const hit = this.cache.get(hash);
    let entry: CacheEntry | null;
    if (hit && Date.now() - hit.at < (this.watching ? WATCHED_CACHE_MS : CACHE_MS)) entry = hit;
    else if (Date.now() - (this.unknown.get(hash) ?? Number.NEGATIVE_INFINITY) < UNKNOWN_CACHE_MS) {
      // A made-up secret tried again: no key can have appeared for it (secrets are random).
      return null;
    } else {
      const key = await this.deps.store.authenticate(secret, now);
      if (key) {
        entry = { at: Date.now(), key, principal: principalOf(key) };
        if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(hash, entry);
      } else {
        entry = null;
        this.cache.delete(hash);
        if (this.unknown.size >= UNKNOWN_CACHE_MAX) this.unknown.delete(this.unknown.keys().next().value!);
        this.unknown.set(hash, Date.now());
      }
    }
    if (!entry || (entry.key.expiresAt && entry.key.expiresAt <= now)) return null;
    this.used.add(entry.key.keyId);
    if (typeof entry.principal === 'string') throw new CreditsError('unauthorized', entry.principal);
    return entry.principal;
  }

  /** The principal of a key this process has cached and not seen expire, without a lookup; else null. */
  cached(digest: Buffer): Principal | null {
    const hit = this.cache.get(digest.toString('base64'));
    const now = this.deps.clock?.() ?? new Date();
    if (!hit || Date.now() - hit.at >= (this.watching ? WATCHED_CACHE_MS : CACHE_MS)) return null;
    if (hit.key.expiresAt && hit.key.expiresAt <= now) return null;
    return typeof hit.principal === 'string' ? null : hit.principal;
  }

  async create(
    principal: Principal,
    workspaceId: string,
    input: CreateKeyInput,
    channel: Channel,
  ): Promise<ApiKeyInfo & { key: string }> {
    this.confine(principal, workspaceId);
    authorize(principal, { scope: 'keys:manage' });
    const name = input.name?.trim();
    if (!name) throw CreditsError.field('name', 'is required');
    const scopes = parseScopes(input.scopes);
    const beyond = scopes.filter((s) => !hasScope(principal, s));
    if (beyond.length > 0) {
      throw new CreditsError(
        'forbidden',
        `a key can only hand out scopes it holds; ${beyond.join(', ')} is not among them`,
        {
          missingScope: beyond[0],
        },
      );
    }
    const memberId = input.memberId ?? null;
    if (memberId !== null) {
      // A workspace key (or person) binds new keys to its own member only: a key acting as
      // someone else would let it approve as them.
      if (principal.kind !== 'operator' && memberId !== principal.memberId) {
        throw new CreditsError(
          'forbidden',
          `only the operator binds a key to another member; this ${principal.kind === 'key' ? 'key acts as' : 'is'} ${principal.memberId ?? 'no member'}`,
          { memberId },
        );
      }
      const member = await this.deps.directory.member(workspaceId, memberId);
      if (!member)
        throw CreditsError.field('memberId', `no member ${JSON.stringify(memberId)} in ${workspaceId}`);
      if (scopes.includes('purchases:approve') && !APPROVER_ROLES.includes(member.role)) {
        throw CreditsError.field(
          'memberId',
          `${memberId} is a ${member.role}; a key with purchases:approve must act as an owner or admin`,
        );
      }
    } else if (scopes.includes('purchases:approve')) {
      throw CreditsError.field(
        'memberId',
        'is required with purchases:approve: the owner or admin the key approves as',
      );
    }
    const expiresAt = this.expiryOf(principal, input.expiresAt);
    await this.deps.directory.workspace(workspaceId);
    return this.deps.store.create({
      workspaceId,
      name,
      scopes,
      memberId,
      expiresAt,
      createdByKey: principal.kind === 'key' ? principal.keyId : null,
      audit: { actor: actorOf(principal), channel },
    });
  }

  /** A new key's expiry: in the future, and never later than the key that makes it (its default). */
  private expiryOf(principal: Principal, raw: string | null | undefined): Date | null {
    const ceiling = principal.kind === 'key' ? (principal.expiresAt ?? null) : null;
    if (raw === undefined) return ceiling;
    if (raw === null) {
      if (ceiling)
        throw CreditsError.field(
          'expiresAt',
          `may not be later than this key's own, ${ceiling.toISOString()}`,
        );
      return null;
    }
    const expiresAt = new Date(raw);
    if (Number.isNaN(expiresAt.getTime())) throw CreditsError.field('expiresAt', 'must be an ISO-8601 time');
    if (expiresAt <= (this.deps.clock?.() ?? new Date()))
      throw CreditsError.field('expiresAt', 'must be in the future');
    if (ceiling && expiresAt > ceiling)
      throw CreditsError.field('expiresAt', `may not be later than this key's own, ${ceiling.toISOString()}`);
    return expiresAt;
  }

  async list(principal: Principal, workspaceId: string): Promise<ApiKeyInfo[]> {
    this.confine(principal, workspaceId);
    authorize(principal, { scope: 'keys:manage' });
    await this.deps.directory.workspace(workspaceId);
    return this.deps.store.list(workspaceId);
  }

  /** Revokes at once, on every replica; another workspace's key is "not found". */
  async revoke(principal: Principal, keyId: string, channel: Channel): Promise<ApiKeyInfo> {
    authorize(principal, { scope: 'keys:manage' });
    const found = await this.deps.store.get(keyId);
    const own = workspaceOf(principal);
    if (!found || (own !== null && found.workspaceId !== own)) throw CreditsError.notFound('api key', keyId);
    const revoked = await this.deps.store.revoke(keyId, { actor: actorOf(principal), channel });
    for (const [hash, entry] of this.cache) if (entry.key.keyId === keyId) this.cache.delete(hash);
    return revoked!;
  }

  /** A workspace principal touches only its own workspace; anything else does not exist for it. */
  private confine(principal: Principal, workspaceId: string): void {
    const own = workspaceOf(principal);
    if (own !== null && own !== workspaceId) throw CreditsError.notFound('workspace', workspaceId);
  }

  /** Writes the pending last-used times now (they are otherwise written every few seconds). */
  async flushTouches(): Promise<void> {
    if (this.used.size === 0) return;
    const ids = [...this.used];
    this.used.clear();
    await this.deps.store.touch(ids).catch(() => {});
  }
}
