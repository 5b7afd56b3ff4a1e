import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import type { Role } from '../types.js';
import { type AuditInput, AuditLog } from './audit-log.js';

/** Keys are stored as their SHA-256 only: the secret is shown once, when the key is made. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Revocations and role changes are announced on this channel so every process drops its cached keys. */
export const KEY_CHANGES_CHANNEL = 'credits_api_keys';

/** A stored key as its owner sees it (never the secret). */
export interface ApiKeyInfo {
  id: string;
  workspaceId: string | null;
  name: string;
  scopes: string[];
  memberId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The key that made this one (null when the operator or a person did). */
  createdByKey: string | null;
}

/** What a presented secret turns into, with the bound member's current role (null when unbound). */
export interface AuthenticatedKey {
  keyId: string;
  workspaceId: string | null;
  name: string;
  scopes: string[];
  memberId: string | null;
  memberRole: Role | null;
  expiresAt: Date | null;
}

function iso(v: unknown): string | null {
  return v == null ? null : (v as Date).toISOString();
}

function rowToInfo(r: Record<string, unknown>): ApiKeyInfo {
  return {
    id: r.id as string,
    workspaceId: (r.workspace_id as string | null) ?? null,
    name: r.name as string,
    scopes: r.scopes as string[],
    memberId: (r.member_id as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
    createdByKey: (r.created_by_key as string | null) ?? null,
  };
}

type Tx = Sql;

/**
 * Revokes every live key made, directly or down the line, by the keys `makers`, in the caller's
 * transaction; each one audited and announced, so every process drops it from its cache at commit.
 */
export async function revokeKeysMadeBy(
  tx: Tx,
  makers: readonly string[],
  audit: Pick<AuditInput, 'actor' | 'channel'>,
  reason: string,
): Promise<string[]> {
  if (makers.length === 0) return [];
  const rows = await tx`
    WITH RECURSIVE made AS (
      SELECT id FROM api_keys WHERE created_by_key = ANY(${[...makers]}::text[])
      UNION
      SELECT k.id FROM api_keys k JOIN made ON k.created_by_key = made.id
    )
    UPDATE api_keys SET revoked_at = now()
     WHERE id IN (SELECT id FROM made) AND revoked_at IS NULL
     RETURNING *`;
  const log = new AuditLog(tx);
  for (const row of rows) {
    const after = rowToInfo(row);
    await tx`SELECT pg_notify(${KEY_CHANGES_CHANNEL}, ${after.id})`;
    if (after.workspaceId) {
      await log.record(
        {
          workspaceId: after.workspaceId,
          action: 'key.revoked',
          target: after.id,
          before: { ...after, revokedAt: null },
          after: { ...after, reason },
          ...audit,
        },
        tx,
      );
    }
  }
  return rows.map((r) => r.id as string);
}

/** The `api_keys` table: secrets are stored as SHA-256 only and shown once, at creation. */
export class ApiKeyStore {
  private readonly audit: AuditLog;

  constructor(private readonly sql: Sql) {
    this.audit = new AuditLog(sql);
  }

  async create(input: {
    workspaceId: string | null;
    name: string;
    scopes: readonly string[];
    memberId?: string | null;
    expiresAt?: Date | null;
    /** The key that makes it, when a key does: what it makes is revoked with it. */
    createdByKey?: string | null;
    /** Who made it, recorded in the audit log in the same transaction (workspace keys). */
    audit?: Pick<AuditInput, 'actor' | 'channel'>;
  }): Promise<ApiKeyInfo & { key: string }> {
    const id = `key_${randomBytes(6).toString('hex')}`;
    const key = `cr_${input.workspaceId ? 'ws' : 'op'}_${randomBytes(24).toString('base64url')}`;
    try {
      return await this.sql.begin(async (tx) => {
        const [row] = await tx`
          INSERT INTO api_keys (id, workspace_id, name, key_hash, scopes, member_id, expires_at, created_by_key)
          VALUES (${id}, ${input.workspaceId}, ${input.name}, ${hashApiKey(key)}, ${[...input.scopes]}::text[],
                  ${input.memberId ?? null}, ${input.expiresAt ?? null}, ${input.createdByKey ?? null})
          RETURNING *`;
        const info = rowToInfo(row!);
        if (input.audit && input.workspaceId) {
          await this.audit.record(
            {
              workspaceId: input.workspaceId,
              action: 'key.created',
              target: id,
              before: null,
              after: info,
              ...input.audit,
            },
            tx as unknown as Sql,
          );
        }
        return { ...info, key };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        throw input.memberId
          ? CreditsError.field('memberId', `no member ${JSON.stringify(input.memberId)} in this workspace`)
          : CreditsError.notFound('workspace', input.workspaceId ?? '');
      }
      throw error;
    }
  }

  async list(workspaceId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.sql`
      SELECT * FROM api_keys WHERE workspace_id = ${workspaceId} ORDER BY created_at, id`;
    return rows.map(rowToInfo);
  }

  async get(id: string): Promise<ApiKeyInfo | null> {
    const [row] = await this.sql`SELECT * FROM api_keys WHERE id = ${id}`;
    return row ? rowToInfo(row) : null;
  }

  /** Revokes at once and tells every process (NOTIFY is delivered when the transaction commits). */
  async revoke(id: string, audit?: Pick<AuditInput, 'actor' | 'channel'>): Promise<ApiKeyInfo | null> {
    return this.sql.begin(async (tx) => {
      const [before] = await tx`SELECT * FROM api_keys WHERE id = ${id} FOR UPDATE`;
      if (!before) return null;
      const [row] = await tx`
        UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} RETURNING *`;
      await tx`SELECT pg_notify(${KEY_CHANGES_CHANNEL}, ${id})`;
      const info = rowToInfo(row!);
      await revokeKeysMadeBy(
        tx as unknown as Sql,
        [id],
        audit ?? { actor: 'operator', channel: 'api' },
        `its maker ${id} was revoked`,
      );
      if (audit && info.workspaceId && !before.revoked_at) {
        await this.audit.record(
          {
            workspaceId: info.workspaceId,
            action: 'key.revoked',
            target: id,
            before: rowToInfo(before),
            after: info,
            ...audit,
          },
          tx as unknown as Sql,
        );
      }
      return info;
    });
  }

  /**
   * The live key behind a secret (not revoked, not expired), with its member's current role. A key
   * made by a key is live only while every maker up its chain is: not revoked, not expired, and,
   * if it approves, still bound to an owner or admin.
   */
  async authenticate(secret: string, now: Date = new Date()): Promise<AuthenticatedKey | null> {
    const [row] = await this.sql`
      WITH RECURSIVE found AS (
        SELECT k.id, k.workspace_id, k.name, k.scopes, k.member_id, k.expires_at, k.created_by_key
          FROM api_keys k
         WHERE k.key_hash = ${hashApiKey(secret)} AND k.revoked_at IS NULL
           AND (k.expires_at IS NULL OR k.expires_at > ${now})
      ), makers AS (
        SELECT a.id, a.created_by_key, a.revoked_at, a.expires_at, a.scopes, a.workspace_id, a.member_id, 1 AS depth
          FROM api_keys a JOIN found ON a.id = found.created_by_key
        UNION ALL
        SELECT a.id, a.created_by_key, a.revoked_at, a.expires_at, a.scopes, a.workspace_id, a.member_id, makers.depth + 1
          FROM api_keys a JOIN makers ON a.id = makers.created_by_key
         WHERE makers.depth < 64
      )
      SELECT f.id, f.workspace_id, f.name, f.scopes, f.member_id, f.expires_at, m.role AS member_role
        FROM found f
        LEFT JOIN members m ON m.workspace_id = f.workspace_id AND m.id = f.member_id
       WHERE NOT EXISTS (
         SELECT 1 FROM makers mk
           LEFT JOIN members mm ON mm.workspace_id = mk.workspace_id AND mm.id = mk.member_id
          WHERE mk.revoked_at IS NOT NULL
             OR (mk.expires_at IS NOT NULL AND mk.expires_at <= ${now})
             OR ('purchases:approve' = ANY(mk.scopes) AND coalesce(mm.role NOT IN ('owner', 'admin'), true)))`;
    if (!row) return null;
    return {
      keyId: row.id as string,
      workspaceId: (row.workspace_id as string | null) ?? null,
      name: row.name as string,
      scopes: row.scopes as string[],
      memberId: (row.member_id as string | null) ?? null,
      memberRole: (row.member_role as Role | null) ?? null,
      expiresAt: (row.expires_at as Date | null) ?? null,
    };
  }

  /** Records use, at most once a minute per key (cheap enough for the hot path's background). */
  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.sql`
      UPDATE api_keys SET last_used_at = now()
       WHERE id = ANY(${[...ids]}::text[]) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;
  }

  /** Calls `onChange(keyId | '*')` for every revocation or role change anywhere; `'*'` also after a reconnect. */
  async watch(onChange: (keyId: string) => void): Promise<{ unlisten(): Promise<void> }> {
    const listening = await this.sql.listen(
      KEY_CHANGES_CHANNEL,
      (payload) => onChange(payload),
      () => onChange('*'),
    );
    return { unlisten: () => listening.unlisten() };
  }

  /** Announces that keys bound to members of `workspaceId` may have changed (a role change). */
  async announceMemberChange(): Promise<void> {
    await this.sql`SELECT pg_notify(${KEY_CHANGES_CHANNEL}, '*')`;
  }
}
