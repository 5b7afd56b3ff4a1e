import type { Sql } from '../db.js';

export interface InvoiceDraft {
  purchaseId: string;
  workspaceId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
  /** The payment id to record when this is the purchase's first invoice. */
  paymentId: string;
}

/** The `invoices` table: one invoice per purchase (a unique key), billed later. */
export class InvoiceStore {
  constructor(private readonly sql: Sql) {}

  /** Records the purchase's invoice once; every later call answers the payment id recorded first. */
  async recordOnce(draft: InvoiceDraft): Promise<{ paymentId: string }> {
    const [inserted] = await this.sql`
      INSERT INTO invoices (purchase_id, workspace_id, amount, currency, idempotency_key, payment_id)
      VALUES (${draft.purchaseId}, ${draft.workspaceId}, ${draft.amount}, ${draft.currency},
              ${draft.idempotencyKey}, ${draft.paymentId})
      ON CONFLICT (purchase_id) DO NOTHING
      RETURNING payment_id`;
    if (inserted) return { paymentId: inserted.payment_id as string };
    const [existing] = await this
      .sql`SELECT payment_id FROM invoices WHERE purchase_id = ${draft.purchaseId}`;
    return { paymentId: existing!.payment_id as string };
  }
}
