import { Webhook } from 'standardwebhooks';
import type { Notification, Notifier } from '../../application/notifications.js';
import type { PurchaseStatus } from '../../application/purchases.js';
import type { SigningEndpoint, WebhookEventType } from '../../ledger/stores/webhooks.js';

export type { WebhookEventType };

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

/** Standard Webhooks headers (https://www.standardwebhooks.com). */
export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';

/**
 * The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` for each
 * secret, space-separated (during a rotation both the new and the previous secret sign).
 */
export function signWebhook(secrets: readonly string[], id: string, signedAt: Date, rawBody: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, signedAt, rawBody)).join(' ');
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
      const { kind: _k, id, type, workspaceId, occurredAt, budget, ...data } = n;
      if (budget) {
        const { budgetId, percent, used, limit, resetsAt } = budget;
        return {
          id,
          type,
          workspaceId,
          occurredAt,
          data: { budgetId, percent, used, limit, resetsAt, balance: n.balance },
        };
      }
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

/** Where a workspace's events go: its endpoint and signing secrets, or null when it has none. */
export interface WebhookEndpoints {
  signingEndpoint(workspaceId: string): Promise<SigningEndpoint | null>;
}

export interface WebhookNotifierOptions {
  endpoints: WebhookEndpoints;
  /** Per-request timeout; the activity's retry policy does the retrying. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Posts each event, signed per Standard Webhooks, to its workspace's own endpoint with that
 * workspace's secret; a workspace without an endpoint gets nothing. The endpoint is read at every
 * attempt, so a changed URL or rotated secret applies to retries too. One attempt per call: retries
 * with backoff come from the Temporal activity that calls it. 4xx answers other than 408 and 429
 * are not retried (the receiver refused the event); timeouts, network errors, 408, 429 and 5xx are.
 */
export class WebhookNotifier implements Notifier {
  readonly name = 'webhook';
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: WebhookNotifierOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async send(notification: Notification): Promise<void> {
    const event = toWebhookEvent(notification);
    if (!event) return;
    const endpoint = await this.options.endpoints.signingEndpoint(event.workspaceId);
    if (!endpoint) return;
    if (endpoint.events && !endpoint.events.includes(event.type)) return;
    const body = JSON.stringify(event);
    const signedAt = new Date(this.now());
    let response: Response;
    try {
      response = await this.fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'credits-webhook/2',
          [ID_HEADER]: event.id,
          [TIMESTAMP_HEADER]: String(Math.floor(signedAt.getTime() / 1000)),
          [SIGNATURE_HEADER]: signWebhook(endpoint.secrets, event.id, signedAt, body),
        },
        body,
        redirect: 'manual',
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
