import { CreditsError } from './errors.js';

/**
 * Exact money: amounts travel as decimal strings ("12.34") and are summed as integer minor units
 * (bigint cents). Catalog currencies have two decimals (ISO 4217 USD, EUR, GBP…); a price with
 * more is refused rather than rounded.
 */
const DECIMAL = /^(0|[1-9]\d{0,13})(\.\d{1,2})?$/;

/** "12.3" → 1230n; throws naming `field` for anything that is not a non-negative amount with ≤ 2 decimals. */
export function toMinor(amount: string | number, field = 'amount'): bigint {
  const text = typeof amount === 'number' ? numberText(amount) : amount;
  const m = DECIMAL.exec(text);
  if (!m)
    throw CreditsError.field(
      field,
      `must be a decimal amount with at most 2 decimals, not ${JSON.stringify(text)}`,
    );
  const cents = (m[2] ?? '').slice(1).padEnd(2, '0');
  return BigInt(m[1]!) * 100n + BigInt(cents || '0');
}

/** 1230n → "12.30"; negative amounts keep their sign. */
export function fromMinor(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** A catalog price (a YAML number such as 49.99) as the shortest decimal text, refusing floats that are not. */
function numberText(n: number): string {
  if (!Number.isFinite(n) || n < 0) return String(n);
  return String(Number(n.toFixed(2))) === String(n) ? n.toFixed(2) : String(n);
}

/**
 * What the first `out` credits out of a lot of `credits` that cost `priceMinor` are worth:
 * floor(price × out / credits). A movement taking a lot from `before` to `after` credits out is
 * worth valueOut(after) − valueOut(before), so however a lot is used, expired, refunded or voided,
 * its movements add up to its price exactly, with no cent lost or made by rounding.
 */
export function valueOut(priceMinor: bigint, credits: bigint, out: bigint): bigint {
  const product = priceMinor * out;
  // Floor division for either sign (a reversal ordered before its debit can make `out` negative).
  const q = product / credits;
  return product % credits !== 0n && product < 0n ? q - 1n : q;
}
