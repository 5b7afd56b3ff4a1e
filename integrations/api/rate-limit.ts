import type { MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { CreditsError } from '../../ledger/errors.js';
import type { ApiEnv } from './auth.js';

/**
 * Per-key request limit (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS, per replica): past it,
 * 429 `rate_limited` with `Retry-After`. The operator is not limited. In memory, so it costs no
 * round trip on the hot path; behind N replicas a key gets up to N times the limit.
 */
export function rateLimit(limit: { points: number; durationSeconds: number }): MiddlewareHandler<ApiEnv> {
  const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds });
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal.kind === 'operator') return next();
    const id =
      principal.kind === 'key' ? principal.keyId : `member:${principal.workspaceId}:${principal.memberId}`;
    try {
      await limiter.consume(id);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new CreditsError('rate_limited', `too many requests for this key; retry in ${seconds} s`, {
        retryAfterSeconds: seconds,
        limit: limit.points,
        windowSeconds: limit.durationSeconds,
      });
    }
    return next();
  };
}
