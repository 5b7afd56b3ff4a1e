import { randomBytes } from 'node:crypto';
import type { InvoiceStore } from '../../ledger/stores/invoices.js';

export interface ChargeInput {
  purchaseId: string;
  workspaceId: string;
  amount: number;
  currency: string;
  /** The same for every attempt of one purchase: a provider must charge at most once per key. */
  idempotencyKey: string;
}

/**
 * Takes the money for a purchase. `charge` may be called more than once for the same purchase
 * (activity retries, worker crashes): it must charge at most once per `idempotencyKey` and return
 * the same payment every time. Throw `PaymentDeclinedError` when retrying cannot help.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(input: ChargeInput): Promise<{ paymentId: string }>;
}

/** A definitive refusal (card declined, account closed): the purchase fails, nothing is granted. */
export class PaymentDeclinedError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/** Default provider: records an invoice (one per purchase, enforced by a unique key) to be billed later. */
export class InvoicePaymentProvider implements PaymentProvider {
  readonly name = 'invoice';
  constructor(private readonly invoices: InvoiceStore) {}

  charge(input: ChargeInput): Promise<{ paymentId: string }> {
    return this.invoices.recordOnce({ ...input, paymentId: `inv_${randomBytes(8).toString('hex')}` });
  }
}
