/** Decimal amounts to and from a currency's minor units (Stripe's: 0, 2 or 3 decimals), exactly: bigint, never floats. ledger/money.ts (revenue) keeps the 2-decimal ledger amounts. */

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
