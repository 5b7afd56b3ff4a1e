import { ApplicationFailure } from '@temporalio/activity';
import { Webhook } from 'standardwebhooks';
import { revenueCsv } from '../../ledger/revenue.js';
import type { ActivityDeps } from '../deps.js';

/** Where the monthly revenue CSV goes (REVENUE_WEBHOOK_URL, signed with REVENUE_WEBHOOK_SECRET). */
export interface RevenueWebhook {
  url: string;
  /** `whsec_…` (Standard Webhooks). */
  secret: string;
}

export interface RevenueActivities {
  /**
   * Posts the revenue report of the calendar month (UTC) before `at` as CSV to the operator's
   * webhook, signed per Standard Webhooks with `webhook-id` `revenue-<YYYY-MM>` (the same on every
   * retry, so the receiver keeps one per month). Answers the month sent, or null without a webhook.
   */
  sendMonthlyRevenue(input: { at: string }): Promise<{ month: string; bytes: number } | null>;
}

export function revenueActivities(
  deps: ActivityDeps,
  webhook: RevenueWebhook | undefined,
): RevenueActivities {
  return {
    async sendMonthlyRevenue({ at }) {
      if (!webhook) return null;
      const now = new Date(at);
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
      const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const month = from.toISOString().slice(0, 7);
      const csv = revenueCsv(await deps.ledger.revenue({ from, to, currency: deps.catalog.currency }));
      const id = `revenue-${month}`;
      const signedAt = new Date();
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
          'webhook-signature': new Webhook(webhook.secret).sign(id, signedAt, csv),
        },
        body: csv,
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        throw ApplicationFailure.nonRetryable(
          `the revenue webhook refused the report: HTTP ${res.status}`,
          'WebhookRefused',
        );
      }
      if (!res.ok) throw new Error(`the revenue webhook answered HTTP ${res.status}`);
      return { month, bytes: Buffer.byteLength(csv) };
    },
  };
}
