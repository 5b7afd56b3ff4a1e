import type { Sql } from '../db.js';

/** A login link's state when it is presented. */
export type LinkUse =
  | { ok: true; workspaceId: string; memberId: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface StoredSession {
  workspaceId: string;
  memberId: string;
  csrfToken: string;
}

/**
 * The web console's secrets at rest: login links, sessions and embed tokens, each stored as the
 * SHA-256 digest of its secret. Nothing outside `ledger/` runs SQL on these tables.
 */
export class WebAccessStore {
  constructor(private readonly sql: Sql) {}

  async insertLink(link: {
    digest: Buffer;
    workspaceId: string;
    memberId: string;
    createdBy: string;
    now: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.sql`
      INSERT INTO web_login_links (token_hash, workspace_id, member_id, created_by, created_at, expires_at)
      VALUES (${link.digest}, ${link.workspaceId}, ${link.memberId}, ${link.createdBy}, ${link.now}, ${link.expiresAt})`;
  }

  /** Marks the link used if it is unused and unexpired (one statement: two tabs cannot both win). */
  async useLink(digest: Buffer, now: Date): Promise<LinkUse> {
    const [used] = await this.sql`
      UPDATE web_login_links SET used_at = ${now}
       WHERE token_hash = ${digest} AND used_at IS NULL AND expires_at > ${now}
      RETURNING workspace_id, member_id`;
    if (used) return { ok: true, workspaceId: used.workspace_id, memberId: used.member_id };
    const [row] = await this.sql`SELECT used_at FROM web_login_links WHERE token_hash = ${digest}`;
    if (!row) return { ok: false, reason: 'unknown' };
    return { ok: false, reason: row.used_at ? 'used' : 'expired' };
  }

  async insertSession(s: StoredSession & { digest: Buffer; now: Date }): Promise<void> {
    await this.sql`
      INSERT INTO web_sessions (token_hash, workspace_id, member_id, csrf_token, created_at, last_seen_at)
      VALUES (${s.digest}, ${s.workspaceId}, ${s.memberId}, ${s.csrfToken}, ${s.now}, ${s.now})`;
  }

  /** The session if it is open and was used after `idleSince`; its last use moves to `now`. */
  async touchSession(digest: Buffer, now: Date, idleSince: Date): Promise<StoredSession | null> {
    const [row] = await this.sql`
      UPDATE web_sessions SET last_seen_at = ${now}
       WHERE token_hash = ${digest} AND ended_at IS NULL AND last_seen_at > ${idleSince}
      RETURNING workspace_id, member_id, csrf_token`;
    return row ? { workspaceId: row.workspace_id, memberId: row.member_id, csrfToken: row.csrf_token } : null;
  }

  async endSession(digest: Buffer, now: Date): Promise<void> {
    await this
      .sql`UPDATE web_sessions SET ended_at = ${now} WHERE token_hash = ${digest} AND ended_at IS NULL`;
  }

  async insertEmbedToken(t: {
    digest: Buffer;
    workspaceId: string;
    createdBy: string;
    now: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.sql`
      INSERT INTO embed_tokens (token_hash, workspace_id, created_by, created_at, expires_at)
      VALUES (${t.digest}, ${t.workspaceId}, ${t.createdBy}, ${t.now}, ${t.expiresAt})`;
  }

  /** The workspace an unexpired embed token shows. */
  async embedWorkspace(digest: Buffer, now: Date): Promise<string | null> {
    const [row] = await this.sql`
      SELECT workspace_id FROM embed_tokens WHERE token_hash = ${digest} AND expires_at > ${now}`;
    return row ? (row.workspace_id as string) : null;
  }
}
