import { randomBytes } from 'node:crypto';
import type { InvoiceStore } from '../../ledger/stores/invoices.js';

export interface ChargeInput {
  purchaseId: string;
  workspaceId: string;
  /** An exact decimal in the catalog's currency ("50.00"), never a float. */
  amount: string;
  currency: string;
  /** The same for every attempt of one purchase: a provider must charge at most once per key. */
  idempotencyKey: string;
}

/**
 * What a charge came to. `requires_action`: the customer must act on `hostedUrl` (a Stripe-hosted
 * page: authentication, or a card to save); the money is taken once the provider says so later.
 */
export type ChargeResult =
  | { status: 'succeeded'; paymentId: string }
  | { status: 'requires_action'; paymentId: string; hostedUrl: string };

export interface RefundInput {
  purchaseId: string;
  workspaceId: string;
  /** The payment being refunded (what `charge` returned). */
  paymentId: string;
  /** An exact decimal in the catalog's currency, at most what was paid. */
  amount: string;
  currency: string;
  /** One refund per key, however often it is asked. */
  idempotencyKey: string;
}

/**
 * Takes and gives back the money for a purchase. `charge` may be called more than once for the same
 * purchase (activity retries, worker crashes): it must charge at most once per `idempotencyKey` and
 * return the same payment every time. Throw `PaymentDeclinedError` when retrying cannot help; any
 * other error is retried with the same key. `refund` likewise refunds once per `idempotencyKey`.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(input: ChargeInput): Promise<ChargeResult>;
  refund(input: RefundInput): Promise<{ refundId: string }>;
}

/** A definitive refusal (card declined, account closed): the purchase fails, nothing is granted. */
export class PaymentDeclinedError extends Error {
  readonly retryable = false;
  /**
   * @param message what the operator reads (the provider's own words, e.g. Stripe's decline message)
   * @param reason the provider's machine code (Stripe's `decline_code` or error code), when it gave one
   */
  constructor(
    message: string,
    readonly reason: string | null = null,
  ) {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/** Currencies Stripe counts in whole units (no minor unit): https://docs.stripe.com/currencies */
const ZERO_DECIMAL = new Set('bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '));
/** Currencies with three decimals. */
const THREE_DECIMAL = new Set('bhd jod kwd omr tnd'.split(' '));

export function minorUnitDigits(currency: string): number {
  const c = currency.toLowerCase();
  return ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * "50.00" USD -> 5000n: exact integer arithmetic on the digits, never a float. Refuses an amount
 * with more decimals than the currency has (it could not be charged exactly).
 */
export function toMinorUnits(amount: string, currency: string): bigint {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new RangeError(`amount ${JSON.stringify(amount)} is not a non-negative decimal`);
  const digits = minorUnitDigits(currency);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    throw new RangeError(`amount ${amount} has more decimals than ${currency.toUpperCase()} allows`);
  }
  return BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}

/** 5000n USD -> "50.00" (the inverse of `toMinorUnits`). */
export function fromMinorUnits(minor: bigint, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return minor.toString();
  const text = minor.toString().padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * Default provider: records an invoice (one per purchase, enforced by a unique key) to be billed
 * later, and a credit note for each refund (one per idempotency key).
 */
export class InvoicePaymentProvider implements PaymentProvider {
  readonly name = 'invoice';
  constructor(private readonly invoices: InvoiceStore) {}

  async charge(input: ChargeInput): Promise<ChargeResult> {
    const { paymentId } = await this.invoices.recordOnce({
      ...input,
      paymentId: `inv_${randomBytes(8).toString('hex')}`,
    });
    return { status: 'succeeded', paymentId };
  }

  refund(input: RefundInput): Promise<{ refundId: string }> {
    return this.invoices.creditNoteOnce({
      ...input,
      provider: this.name,
      refundId: `cn_${randomBytes(8).toString('hex')}`,
    });
  }
}
