import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Channel, Principal } from '../../application/access.js';
import { type ApiKeys, secretDigest } from '../../application/api-keys.js';
import { CreditsError } from '../../ledger/errors.js';

export type { Principal } from '../../application/access.js';

/**
 * Who is calling. What each operation needs is in application/policies.ts (enforced by
 * ./policy.ts); this module only establishes the principal:
 * - no, unknown, revoked or expired Bearer key → 401 `unauthorized` with `WWW-Authenticate: Bearer`;
 * - the OPERATOR_API_KEY secret, or a stored key without workspace, is the operator;
 * - a workspace key carries its scopes and may touch only its own workspace: anything of another
 *   workspace answers 404 `not_found`, exactly as if it did not exist (no existence leak).
 */
export type ApiEnv = {
  Variables: {
    principal: Principal;
    /** Set by `idempotent`: the route's body must come with an idempotency key (body or header). */
    idempotent?: boolean;
    /** Set by `replayAware`: the answer is a stored first result (counted by the metrics). */
    replayed?: boolean;
  };
};

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The key of a principal in an in-process call's environment (`app.fetch(request, env)`). */
export const IN_PROCESS_PRINCIPAL = Symbol('credits.principal');
export type InProcessEnv = { [IN_PROCESS_PRINCIPAL]?: Principal };

const OPERATOR: Principal = Object.freeze({ kind: 'operator', keyId: null, name: 'operator' });

/** The client's address when served over Node's HTTP server; null in-process (app.request). */
function clientAddress(c: Context): string | null {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? null;
}

export function authenticate(
  keys: ApiKeys,
  operatorKey?: string,
  /** Failed authentications one client address may make per window, per replica; none when absent. */
  failures?: { points: number; durationSeconds: number },
): MiddlewareHandler<ApiEnv> {
  const operatorDigest = operatorKey ? secretDigest(operatorKey) : null;
  const limiter = failures
    ? new RateLimiterMemory({ points: failures.points, duration: failures.durationSeconds })
    : null;
  /** Counts a refusal against the address; past its budget the answer is 429 instead of 401. */
  const refuse = async (c: Context, error: CreditsError): Promise<never> => {
    const address = limiter ? clientAddress(c) : null;
    if (limiter && address) {
      try {
        await limiter.consume(address);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new CreditsError(
          'rate_limited',
          `too many requests without a valid API key from this address; retry in ${seconds} s`,
          { retryAfterSeconds: seconds, limit: failures!.points, windowSeconds: failures!.durationSeconds },
        );
      }
    }
    throw error;
  };
  const spent = async (c: Context): Promise<boolean> => {
    const address = limiter ? clientAddress(c) : null;
    if (!limiter || !address) return false;
    const used = await limiter.get(address);
    return used !== null && used.consumedPoints >= failures!.points;
  };
  return async (c, next) => {
    // A principal the process itself established (the web console's session), handed over in
    // the in-process call's environment: nothing an HTTP client sends can set it.
    const inProcess = (c.env as InProcessEnv | undefined)?.[IN_PROCESS_PRINCIPAL];
    if (inProcess) {
      c.set('principal', inProcess);
      return next();
    }
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      return refuse(
        c,
        new CreditsError('unauthorized', 'missing API key: send "Authorization: Bearer <key>"'),
      );
    }
    // One hash per request: compared (in constant time) with the operator secret's, then the key cache's key.
    const digest = secretDigest(token);
    if (operatorDigest && timingSafeEqual(digest, operatorDigest)) {
      c.set('principal', OPERATOR);
      return next();
    }
    // An address past its failure budget costs no more lookups: only a key already cached passes.
    const found = (await spent(c)) ? keys.cached(digest) : await keys.authenticate(token, digest);
    if (!found) return refuse(c, new CreditsError('unauthorized', 'unknown, revoked or expired API key'));
    c.set('principal', found);
    return next();
  };
}

/** Route middleware marking a write that needs an idempotency key (checked with the body's other fields). */
export const idempotent: MiddlewareHandler<ApiEnv> = async (c, next) => {
  c.set('idempotent', true);
  return next();
};

/** Route middleware for `/v1/workspaces/{ws}/…`: a workspace key sees only its own workspace. */
export const workspaceAccess: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const ws = c.req.param('ws') ?? '';
  assertWorkspace(c.get('principal'), ws);
  return next();
};

export function assertWorkspace(principal: Principal, ws: string): void {
  if (principal.kind !== 'operator' && principal.workspaceId !== ws) {
    throw CreditsError.notFound('workspace', ws);
  }
}

/** Ledger scope for id-addressed resources: other workspaces' ids are "not found". */
export function scopeOf(principal: Principal): { workspaceId?: string } {
  return principal.kind === 'operator' ? {} : { workspaceId: principal.workspaceId };
}

/** The actor recorded on a write when the body names none. */
export function defaultActor(principal: Principal): string {
  return principal.kind === 'member'
    ? `member:${principal.memberId}`
    : principal.keyId
      ? `key:${principal.keyId}`
      : 'operator';
}

/** Where a call came from, for the audit log and purchase decisions: the web console's member, or the API. */
export function channelOf(principal: Principal): Channel {
  return principal.kind === 'member' ? principal.channel : 'api';
}
