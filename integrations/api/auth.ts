import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { CreditsError } from '../../ledger/errors.js';
import type { ApiKeyPrincipal, WorkspaceDirectory } from '../../ledger/workspaces.js';

const KEY_CACHE_MS = 10_000;
const KEY_CACHE_MAX = 10_000;

/**
 * Who is calling. Authorisation rules (documented in the OpenAPI description too):
 * - no or unknown Bearer key → 401 `unauthorized` with `WWW-Authenticate: Bearer`;
 * - the OPERATOR_API_KEY secret, or a stored key without workspace, is an operator: everything;
 * - a workspace key may touch only its own workspace: any workspace, transaction, hold or purchase
 *   of another workspace answers 404 `not_found`, exactly as if it did not exist (no existence leak);
 * - operator-only endpoints answer 403 `forbidden` to workspace keys.
 */
export type Principal =
  | { kind: 'operator'; keyId: string | null; name: string }
  | { kind: 'workspace'; keyId: string; workspaceId: string; name: string };

export type ApiEnv = {
  Variables: {
    principal: Principal;
    /** Set by `idempotent`: the route's body must come with an idempotency key (body or header). */
    idempotent?: boolean;
  };
};

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export function authenticate(directory: WorkspaceDirectory, operatorKey?: string): MiddlewareHandler<ApiEnv> {
  const operatorDigest = operatorKey ? digest(operatorKey) : null;
  // Known keys are remembered briefly (by hash) so a busy client costs no extra query per request;
  // a revoked key stops working within KEY_CACHE_MS. Unknown keys are never cached.
  const cache = new Map<string, { at: number; principal: ApiKeyPrincipal }>();
  const cached = async (token: string): Promise<ApiKeyPrincipal | null> => {
    const id = digest(token).toString('base64');
    const hit = cache.get(id);
    if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.principal;
    const principal = await directory.authenticate(token);
    if (principal) {
      if (cache.size >= KEY_CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(id, { at: Date.now(), principal });
    } else cache.delete(id);
    return principal;
  };
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      throw new CreditsError('unauthorized', 'missing API key: send "Authorization: Bearer <key>"');
    }
    if (operatorDigest && timingSafeEqual(digest(token), operatorDigest)) {
      c.set('principal', { kind: 'operator', keyId: null, name: 'operator' });
      return next();
    }
    const found = token.length <= 512 ? await cached(token) : null;
    if (!found) throw new CreditsError('unauthorized', 'unknown or revoked API key');
    c.set(
      'principal',
      found.workspaceId === null
        ? { kind: 'operator', keyId: found.keyId, name: found.name }
        : { kind: 'workspace', keyId: found.keyId, workspaceId: found.workspaceId, name: found.name },
    );
    return next();
  };
}

/** Route middleware marking a write that needs an idempotency key (checked with the body's other fields). */
export const idempotent: MiddlewareHandler<ApiEnv> = async (c, next) => {
  c.set('idempotent', true);
  return next();
};

/** Route middleware: operator keys only. */
export const operatorOnly: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.get('principal').kind !== 'operator') {
    throw new CreditsError('forbidden', 'this endpoint needs the operator key', {});
  }
  return next();
};

/** Route middleware for `/v1/workspaces/{ws}/…`: a workspace key sees only its own workspace. */
export const workspaceAccess: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const ws = c.req.param('ws') ?? '';
  assertWorkspace(c.get('principal'), ws);
  return next();
};

export function assertWorkspace(principal: Principal, ws: string): void {
  if (principal.kind === 'workspace' && principal.workspaceId !== ws) {
    throw CreditsError.notFound('workspace', ws);
  }
}

/** Ledger scope for id-addressed resources: other workspaces' ids are "not found". */
export function scopeOf(principal: Principal): { workspaceId?: string } {
  return principal.kind === 'workspace' ? { workspaceId: principal.workspaceId } : {};
}

/** The actor recorded on a write when the body names none. */
export function defaultActor(principal: Principal): string {
  return principal.keyId ? `key:${principal.keyId}` : 'operator';
}
