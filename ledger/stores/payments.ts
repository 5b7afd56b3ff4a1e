import type { Sql } from '../db.js';

export type PaymentStatus = 'requires_action' | 'succeeded' | 'failed';

export interface PaymentRecord {
  purchaseId: string;
  workspaceId: string;
  provider: string;
  paymentId: string;
  amount: string;
  currency: string;
  status: PaymentStatus;
  hostedUrl: string | null;
  failureReason: string | null;
}

function toRecord(r: Record<string, unknown>): PaymentRecord {
  return {
    purchaseId: r.purchase_id as string,
    workspaceId: r.workspace_id as string,
    provider: r.provider as string,
    paymentId: r.payment_id as string,
    amount: r.amount as string,
    currency: r.currency as string,
    status: r.status as PaymentStatus,
    hostedUrl: (r.hosted_url as string | null) ?? null,
    failureReason: (r.failure_reason as string | null) ?? null,
  };
}

/**
 * The `payments` table (what the provider said of each purchase's payment), the Stripe customer of
 * a workspace, and the `stripe_events` already handled.
 */
export class PaymentStore {
  constructor(private readonly sql: Sql) {}

  /** The stored price of a purchase as an exact decimal ("50.00"), never through a float. */
  async amountDue(purchaseId: string): Promise<string | null> {
    const [row] = await this.sql`SELECT price::text AS price FROM purchases WHERE id = ${purchaseId}`;
    return (row?.price as string | undefined) ?? null;
  }

  /**
   * Records what the provider said. A payment that succeeded stays succeeded: a late
   * `requires_action` or failure (an event out of order) never takes it back.
   */
  async record(
    p: Omit<PaymentRecord, 'failureReason'> & { failureReason?: string | null },
  ): Promise<PaymentRecord> {
    const [row] = await this.sql`
      INSERT INTO payments (purchase_id, workspace_id, provider, payment_id, amount, currency, status,
                            hosted_url, failure_reason)
      VALUES (${p.purchaseId}, ${p.workspaceId}, ${p.provider}, ${p.paymentId}, ${p.amount}::numeric,
              ${p.currency}, ${p.status}, ${p.hostedUrl}, ${p.failureReason ?? null})
      ON CONFLICT (purchase_id) DO UPDATE
        SET status = CASE WHEN payments.status = 'succeeded' THEN payments.status ELSE excluded.status END,
            hosted_url = coalesce(excluded.hosted_url, payments.hosted_url),
            failure_reason = CASE WHEN payments.status = 'succeeded' THEN payments.failure_reason
                                  ELSE excluded.failure_reason END,
            updated_at = now()
      RETURNING *`;
    return toRecord(row!);
  }

  async forPurchase(purchaseId: string): Promise<PaymentRecord | null> {
    const [row] = await this.sql`SELECT * FROM payments WHERE purchase_id = ${purchaseId}`;
    return row ? toRecord(row) : null;
  }

  async byPaymentId(paymentId: string): Promise<PaymentRecord | null> {
    const [row] = await this.sql`SELECT * FROM payments WHERE payment_id = ${paymentId}`;
    return row ? toRecord(row) : null;
  }

  /** The workspace's Stripe customer (`cus_…`), or null when none is linked. */
  async stripeCustomer(workspaceId: string): Promise<string | null> {
    const [row] = await this.sql`SELECT stripe_customer_id FROM workspaces WHERE id = ${workspaceId}`;
    return (row?.stripe_customer_id as string | null | undefined) ?? null;
  }

  /** Links (or with null unlinks) a Stripe customer; false when there is no such workspace. */
  async linkStripeCustomer(workspaceId: string, customerId: string | null): Promise<boolean> {
    const rows = await this.sql`
      UPDATE workspaces SET stripe_customer_id = ${customerId} WHERE id = ${workspaceId} RETURNING id`;
    return rows.length > 0;
  }

  /** True the first time an event id is seen; false for a replayed delivery of the same event. */
  async firstDelivery(event: { id: string; type: string; purchaseId: string | null }): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO stripe_events (id, type, purchase_id) VALUES (${event.id}, ${event.type}, ${event.purchaseId})
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    return rows.length > 0;
  }

  /** Forgets an event whose handling failed, so that Stripe's next delivery is handled again. */
  async forgetDelivery(eventId: string): Promise<void> {
    await this.sql`DELETE FROM stripe_events WHERE id = ${eventId}`;
  }
}
