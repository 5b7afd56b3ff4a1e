import type { Sql } from '../db.js';

export interface InvoiceDraft {
  purchaseId: string;
  workspaceId: string;
  /** An exact decimal ("50.00"). */
  amount: string;
  currency: string;
  idempotencyKey: string;
  /** The payment id to record when this is the purchase's first invoice. */
  paymentId: string;
}

export interface RefundDraft {
  purchaseId: string;
  workspaceId: string;
  provider: string;
  paymentId: string;
  /** An exact decimal ("35.00"). */
  amount: string;
  currency: string;
  idempotencyKey: string;
  /** The refund id to record when this key is new. */
  refundId: string;
}

/**
 * The `invoices` table: one invoice per purchase (a unique key), billed later; and the
 * `payment_refunds` table: one refund (a credit note for an invoice) per idempotency key.
 */
export class InvoiceStore {
  constructor(private readonly sql: Sql) {}

  /** Records the purchase's invoice once; every later call answers the payment id recorded first. */
  async recordOnce(draft: InvoiceDraft): Promise<{ paymentId: string }> {
    const [inserted] = await this.sql`
      INSERT INTO invoices (purchase_id, workspace_id, amount, currency, idempotency_key, payment_id)
      VALUES (${draft.purchaseId}, ${draft.workspaceId}, ${draft.amount}::numeric, ${draft.currency},
              ${draft.idempotencyKey}, ${draft.paymentId})
      ON CONFLICT (purchase_id) DO NOTHING
      RETURNING payment_id`;
    if (inserted) return { paymentId: inserted.payment_id as string };
    const [existing] = await this
      .sql`SELECT payment_id FROM invoices WHERE purchase_id = ${draft.purchaseId}`;
    return { paymentId: existing!.payment_id as string };
  }

  /** Records a refund once per idempotency key; a repeated key answers the refund recorded first. */
  async creditNoteOnce(draft: RefundDraft): Promise<{ refundId: string }> {
    const [inserted] = await this.sql`
      INSERT INTO payment_refunds (purchase_id, workspace_id, provider, payment_id, amount, currency,
                                   idempotency_key, refund_id)
      VALUES (${draft.purchaseId}, ${draft.workspaceId}, ${draft.provider}, ${draft.paymentId},
              ${draft.amount}::numeric, ${draft.currency}, ${draft.idempotencyKey}, ${draft.refundId})
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING refund_id`;
    if (inserted) return { refundId: inserted.refund_id as string };
    const [existing] = await this.sql`
      SELECT refund_id FROM payment_refunds WHERE idempotency_key = ${draft.idempotencyKey}`;
    return { refundId: existing!.refund_id as string };
  }
}
