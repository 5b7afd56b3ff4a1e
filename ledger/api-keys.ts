import { randomBytes } from 'node:crypto';
import { type AuditInput, AuditLog } from './audit.js';
import type { Sql } from './db.js';
import { CreditsError } from './errors.js';
import type { Role } from './types.js';
import { hashApiKey } from './workspaces.js';

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
  };
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
    /** Who made it, recorded in the audit log in the same transaction (workspace keys). */
    audit?: Pick<AuditInput, 'actor' | 'channel'>;
  }): Promise<ApiKeyInfo & { key: string }> {
    const id = `key_${randomBytes(6).toString('hex')}`;
    const key = `cr_${input.workspaceId ? 'ws' : 'op'}_${randomBytes(24).toString('base64url')}`;
    try {
      return await this.sql.begin(async (tx) => {
        const [row] = await tx`
          INSERT INTO api_keys (id, workspace_id, name, key_hash, scopes, member_id, expires_at)
          VALUES (${id}, ${input.workspaceId}, ${input.name}, ${hashApiKey(key)}, ${[...input.scopes]}::text[],
                  ${input.memberId ?? null}, ${input.expiresAt ?? null})
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

  /** The live key behind a secret (not revoked, not expired), with its member's current role. */
  async authenticate(secret: string, now: Date = new Date()): Promise<AuthenticatedKey | null> {
    const [row] = await this.sql`
      SELECT k.id, k.workspace_id, k.name, k.scopes, k.member_id, k.expires_at, m.role AS member_role
        FROM api_keys k
        LEFT JOIN members m ON m.workspace_id = k.workspace_id AND m.id = k.member_id
       WHERE k.key_hash = ${hashApiKey(secret)} AND k.revoked_at IS NULL
         AND (k.expires_at IS NULL OR k.expires_at > ${now})`;
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
