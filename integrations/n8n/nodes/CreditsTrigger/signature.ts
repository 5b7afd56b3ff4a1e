import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com) verification with node:crypto only: a
// community node may have no runtime dependencies. The tests check it against the
// `standardwebhooks` library's signing.

export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';
/** Requests signed longer ago (or further in the future) than this are refused as replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = 'whsec_';

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
  /** `whsec_<base64>`, as the Credits API showed it when the endpoint was created or rotated. */
  secret: string;
  rawBody: string | Buffer;
  id: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  /** Current Unix time in seconds. */
  now: number;
  toleranceSeconds?: number;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The HMAC key of a `whsec_<base64>` secret, or null when it is not one. */
export function secretKey(secret: string): Buffer | null {
  const trimmed = secret.trim();
  const encoded = trimmed.startsWith(SECRET_PREFIX) ? trimmed.slice(SECRET_PREFIX.length) : trimmed;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : null;
}

/** base64 HMAC-SHA256 of `<id>.<timestamp>.<raw body>`. */
export function expectedSignature(
  key: Buffer,
  id: string,
  timestamp: string,
  rawBody: string | Buffer,
): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
}

/**
 * Accepts when one of the space-separated `v1,<base64>` signatures matches (during a secret
 * rotation the sender signs with both secrets), compared in constant time; refuses stale or
 * future-dated timestamps.
 */
export function verifySignature(input: VerifyInput): VerifyResult {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const id = single(input.id)?.trim();
  const timestampText = single(input.timestamp)?.trim();
  const signatures = single(input.signature)?.trim();
  if (!input.secret) return { ok: false, reason: 'no webhook secret is configured in the credential' };
  const key = secretKey(input.secret);
  if (!key) return { ok: false, reason: 'the credential\'s webhook secret is not a "whsec_<base64>" secret' };
  if (!id) return { ok: false, reason: 'missing webhook-id header' };
  if (!timestampText) return { ok: false, reason: 'missing webhook-timestamp header' };
  if (!signatures) return { ok: false, reason: 'missing webhook-signature header' };
  if (!/^\d{1,12}$/.test(timestampText)) {
    return { ok: false, reason: 'webhook-timestamp is not a Unix time in seconds' };
  }
  if (Math.abs(input.now - Number(timestampText)) > tolerance) {
    return {
      ok: false,
      reason: `timestamp is more than ${tolerance} seconds away from now (stale or replayed request)`,
    };
  }
  const expected = expectedSignature(key, id, timestampText, input.rawBody);
  let matched = false;
  for (const candidate of signatures.split(' ')) {
    const [version, encoded] = candidate.split(',', 2);
    if (version !== 'v1' || !encoded) continue;
    const given = Buffer.from(encoded, 'base64');
    // Check every candidate (no early exit), so timing does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
