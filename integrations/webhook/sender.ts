import { createHmac } from 'node:crypto';
import type { Notification, Notifier } from '../../application/notifications.js';
import type { PurchaseStatus } from '../../application/purchases.js';

/** Event types of the webhook contract (`integrations/n8n/WEBHOOK_CONTRACT.md`). */
export type WebhookEventType =
  | 'alert.low'
  | 'alert.critical'
  | 'alert.depleted'
  | 'alert.recovered'
  | 'purchase.approved'
  | 'purchase.completed'
  | 'purchase.rejected'
  | 'purchase.expired'
  | 'purchase.failed'
  | 'credits.expiring';

export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  workspaceId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** A delivery failure; `retryable: false` tells the caller (a Temporal activity) not to try again. */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export const SIGNATURE_HEADER = 'X-Credits-Signature';
export const TIMESTAMP_HEADER = 'X-Credits-Timestamp';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

const PURCHASE_EVENTS: Partial<Record<PurchaseStatus, WebhookEventType>> = {
  approved: 'purchase.approved',
  completed: 'purchase.completed',
  rejected: 'purchase.rejected',
  expired: 'purchase.expired',
  failed: 'purchase.failed',
};

/** The webhook event for a notification, or null when the contract has no event for it. */
export function toWebhookEvent(n: Notification): WebhookEvent | null {
  switch (n.kind) {
    case 'alert': {
      const { kind: _k, id, type, workspaceId, occurredAt, ...data } = n;
      return { id, type, workspaceId, occurredAt, data };
    }
    case 'expiry_reminder':
      return {
        id: n.id,
        type: 'credits.expiring',
        workspaceId: n.workspaceId,
        occurredAt: n.occurredAt,
        data: { amount: n.amount, lotType: n.lotType, expiresAt: n.expiresAt },
      };
    case 'purchase_update': {
      const type = PURCHASE_EVENTS[n.purchase.status];
      if (!type) return null;
      return {
        id: n.id,
        type,
        workspaceId: n.workspaceId,
        occurredAt: n.occurredAt,
        data: { purchase: n.purchase },
      };
    }
    default:
      // Approval requests go to people (chat buttons); digests are chat content.
      return null;
  }
}

export interface WebhookNotifierOptions {
  url: string;
  secret: string;
  /** Per-request timeout; the activity's retry policy does the retrying. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Posts signed JSON events to one URL. One attempt per call: retries with backoff come from the
 * Temporal activity that calls it. 4xx answers other than 408 and 429 are not retried (the
 * receiver refused the event); timeouts, network errors, 408, 429 and 5xx are.
 */
export class WebhookNotifier implements Notifier {
  readonly name = 'webhook';
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: WebhookNotifierOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new Error(`ALERT_WEBHOOK_URL: not a URL: ${JSON.stringify(options.url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error('ALERT_WEBHOOK_URL: must be an http:// or https:// URL');
    }
    if (!options.secret) throw new Error('ALERT_WEBHOOK_SECRET: is required when ALERT_WEBHOOK_URL is set');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async send(notification: Notification): Promise<void> {
    const event = toWebhookEvent(notification);
    if (!event) return;
    const body = JSON.stringify(event);
    const timestamp = Math.floor(this.now() / 1000);
    let response: Response;
    try {
      response = await this.fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'credits-webhook/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(this.options.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new WebhookDeliveryError(`webhook ${event.type} ${event.id}: ${(err as Error).message}`, true);
    }
    await response.body?.cancel().catch(() => {});
    if (response.ok) return;
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    throw new WebhookDeliveryError(
      `webhook ${event.type} ${event.id}: receiver answered ${response.status}`,
      retryable,
      response.status,
    );
  }
}
