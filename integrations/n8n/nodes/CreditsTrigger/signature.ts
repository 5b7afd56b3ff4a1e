import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-credits-signature';
/** Header carrying the Unix time (seconds) at which the sender signed the request. */
export const TIMESTAMP_HEADER = 'x-credits-timestamp';
/** Requests signed longer ago (or further in the future) than this are refused as replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${String(timestamp)}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
  secret: string;
  rawBody: string | Buffer;
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  /** Current Unix time in seconds. */
  now: number;
  toleranceSeconds?: number;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Checks the signature in constant time and refuses stale or future-dated timestamps. */
export function verifySignature(input: VerifyInput): VerifyResult {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const signature = single(input.signature)?.trim();
  const timestampText = single(input.timestamp)?.trim();
  if (!input.secret) return { ok: false, reason: 'no webhook secret is configured in the credential' };
  if (!signature) return { ok: false, reason: 'missing X-Credits-Signature header' };
  if (!timestampText) return { ok: false, reason: 'missing X-Credits-Timestamp header' };
  if (!/^\d{1,12}$/.test(timestampText))
    return { ok: false, reason: 'X-Credits-Timestamp is not a Unix time in seconds' };
  const timestamp = Number(timestampText);
  if (Math.abs(input.now - timestamp) > tolerance) {
    return {
      ok: false,
      reason: `timestamp is more than ${tolerance} seconds away from now (stale or replayed request)`,
    };
  }
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature);
  if (!match) return { ok: false, reason: 'X-Credits-Signature must look like sha256=<64 hex digits>' };
  const expected = Buffer.from(
    signPayload(input.secret, timestampText, input.rawBody).slice('sha256='.length),
    'hex',
  );
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}
