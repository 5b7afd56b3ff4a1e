import { randomBytes } from 'node:crypto';
import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { type AuditInput, AuditLog } from './audit-log.js';

/** Event types of the webhook contract (`integrations/n8n/WEBHOOK_CONTRACT.md`). */
export const WEBHOOK_EVENT_TYPES = [
  'alert.low',
  'alert.critical',
  'alert.depleted',
  'alert.recovered',
  'budget.threshold',
  'purchase.approved',
  'purchase.completed',
  'purchase.rejected',
  'purchase.expired',
  'purchase.failed',
  'credits.expiring',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** How long the previous secret keeps signing after a rotation, unless the rotation says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;
const MAX_URL_LENGTH = 2048;

/** A workspace's endpoint as the operator sees it (never a secret). */
export interface WebhookEndpoint {
  workspaceId: string;
  url: string;
  /** null: every event type. */
  events: WebhookEventType[] | null;
  createdAt: string;
  updatedAt: string;
  rotatedAt: string | null;
  /** Until when the secret replaced by the last rotation still signs; null when it no longer does. */
  previousSecretExpiresAt: string | null;
}

/** What the sender needs: where to post, and every secret that signs now (the current one first). */
export interface SigningEndpoint {
  url: string;
  events: WebhookEventType[] | null;
  secrets: string[];
}

type Actor = Pick<AuditInput, 'actor' | 'channel'>;

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks secret format. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function iso(v: unknown): string | null {
  return v == null ? null : (v as Date).toISOString();
}

function rowToEndpoint(r: Record<string, unknown>, now: Date): WebhookEndpoint {
  const previousUntil = r.previous_secret_expires_at as Date | null;
  return {
    workspaceId: r.workspace_id as string,
    url: r.url as string,
    events: (r.event_types as WebhookEventType[] | null) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    rotatedAt: iso(r.rotated_at),
    previousSecretExpiresAt: previousUntil && previousUntil > now ? previousUntil.toISOString() : null,
  };
}

/** An http(s) URL a worker can post to, or a field error naming what is wrong. */
export function checkWebhookUrl(raw: unknown, field = 'url'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw CreditsError.field(field, 'is required');
  const url = raw.trim();
  if (url.length > MAX_URL_LENGTH)
    throw CreditsError.field(field, `must be at most ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw CreditsError.field(field, `is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw CreditsError.field(field, 'must be an http:// or https:// URL');
  }
  return url;
}

/** Known event types without duplicates (in contract order); undefined or null means every type. */
export function checkWebhookEvents(
  raw: readonly string[] | null | undefined,
  field = 'events',
): WebhookEventType[] | null {
  if (raw == null) return null;
  const unknown = raw.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0) {
    throw CreditsError.field(
      field,
      `unknown event type ${unknown.map((e) => JSON.stringify(e)).join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    );
  }
  if (raw.length === 0)
    throw CreditsError.field(field, 'must name at least one event type (omit it for all)');
  return WEBHOOK_EVENT_TYPES.filter((e) => raw.includes(e));
}

/**
 * The `webhook_endpoints` table: one endpoint per workspace. Every change is written with its
 * audit entry in one transaction, serialised per workspace by the workspace's row lock.
 */
export class WebhookStore {
  private readonly audit: AuditLog;

  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.audit = new AuditLog(sql);
  }

  async get(workspaceId: string): Promise<WebhookEndpoint | null> {
    const [row] = await this.sql`SELECT * FROM webhook_endpoints WHERE workspace_id = ${workspaceId}`;
    return row ? rowToEndpoint(row, this.clock()) : null;
  }

  /** Where the workspace's events go and the secrets that sign them; null without an endpoint. */
  async signingEndpoint(workspaceId: string): Promise<SigningEndpoint | null> {
    const [row] = await this.sql`SELECT * FROM webhook_endpoints WHERE workspace_id = ${workspaceId}`;
    if (!row) return null;
    const previousUntil = row.previous_secret_expires_at as Date | null;
    const secrets = [row.secret as string];
    if (row.previous_secret && previousUntil && previousUntil > this.clock())
      secrets.push(row.previous_secret as string);
    return {
      url: row.url as string,
      events: (row.event_types as WebhookEventType[] | null) ?? null,
      secrets,
    };
  }

  /**
   * Sets the endpoint's URL and event types. A new endpoint gets a secret, returned here once; an
   * existing one keeps its secret (rotate to change it).
   */
  async put(
    workspaceId: string,
    input: { url: unknown; events?: readonly string[] | null },
    by: Actor,
  ): Promise<{ endpoint: WebhookEndpoint; created: boolean; secret?: string }> {
    const url = checkWebhookUrl(input.url);
    const events = checkWebhookEvents(input.events);
    return this.sql.begin(async (tx) => {
      await this.lockWorkspace(tx as unknown as Sql, workspaceId);
      const [old] = await tx`SELECT * FROM webhook_endpoints WHERE workspace_id = ${workspaceId}`;
      const secret = old ? undefined : newWebhookSecret();
      const [row] = old
        ? await tx`
            UPDATE webhook_endpoints SET url = ${url}, event_types = ${events}::text[], updated_at = now()
             WHERE workspace_id = ${workspaceId} RETURNING *`
        : await tx`
            INSERT INTO webhook_endpoints (workspace_id, url, event_types, secret)
            VALUES (${workspaceId}, ${url}, ${events}::text[], ${secret!}) RETURNING *`;
      const before = old ? { url: old.url, events: old.event_types ?? null } : null;
      const after = { url, events };
      await this.audit.record(
        { workspaceId, action: 'webhook.changed', target: 'webhook', before, after, ...by },
        tx as unknown as Sql,
      );
      const endpoint = rowToEndpoint(row!, this.clock());
      return secret ? { endpoint, created: true, secret } : { endpoint, created: false };
    });
  }

  /**
   * Replaces the secret; the one it replaces keeps signing for `graceSeconds` (0: stops at once,
   * for a leaked secret). A secret still in its grace period from an earlier rotation stops now:
   * two secrets sign at most.
   */
  async rotate(
    workspaceId: string,
    input: { graceSeconds?: number },
    by: Actor,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const grace = input.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_SECONDS) {
      throw CreditsError.field(
        'graceSeconds',
        `must be a whole number of seconds from 0 to ${MAX_ROTATION_GRACE_SECONDS} (7 days)`,
      );
    }
    const secret = newWebhookSecret();
    return this.sql.begin(async (tx) => {
      await this.lockWorkspace(tx as unknown as Sql, workspaceId);
      const now = this.clock();
      const until = grace > 0 ? new Date(now.getTime() + grace * 1000) : null;
      const [row] = await tx`
        UPDATE webhook_endpoints
           SET previous_secret = ${until ? tx`secret` : null},
               previous_secret_expires_at = ${until},
               secret = ${secret}, rotated_at = ${now}, updated_at = now()
         WHERE workspace_id = ${workspaceId} RETURNING *`;
      if (!row) throw CreditsError.notFound('webhook', workspaceId);
      await this.audit.record(
        {
          workspaceId,
          action: 'webhook.rotated',
          target: 'webhook',
          before: null,
          after: { rotatedAt: now.toISOString(), previousSecretExpiresAt: until?.toISOString() ?? null },
          ...by,
        },
        tx as unknown as Sql,
      );
      return { endpoint: rowToEndpoint(row, now), secret };
    });
  }

  /** Deletes the endpoint (its events are no longer sent); false when there was none. */
  async remove(workspaceId: string, by: Actor): Promise<boolean> {
    return this.sql.begin(async (tx) => {
      await this.lockWorkspace(tx as unknown as Sql, workspaceId);
      const [old] = await tx`DELETE FROM webhook_endpoints WHERE workspace_id = ${workspaceId} RETURNING *`;
      if (!old) return false;
      await this.audit.record(
        {
          workspaceId,
          action: 'webhook.removed',
          target: 'webhook',
          before: { url: old.url, events: old.event_types ?? null },
          after: null,
          ...by,
        },
        tx as unknown as Sql,
      );
      return true;
    });
  }

  private async lockWorkspace(tx: Sql, workspaceId: string): Promise<void> {
    const [ws] = await tx`SELECT id FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`;
    if (!ws) throw CreditsError.notFound('workspace', workspaceId);
  }
}
