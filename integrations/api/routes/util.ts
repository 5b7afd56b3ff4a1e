import type { Context } from 'hono';
import { CreditsError } from '../../../ledger/errors.js';
import { type ApiEnv, defaultActor } from '../auth.js';

export const bearer = [{ bearer: [] }];

/** The idempotency key from the body or the `Idempotency-Key` header (they must agree when both are given). */
export function idempotencyKey(c: Context<ApiEnv>, fromBody: string | undefined): string {
  const fromHeader = c.req.header('idempotency-key')?.trim() || undefined;
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw CreditsError.field(
      'idempotencyKey',
      'differs from the Idempotency-Key header; send one or make them equal',
    );
  }
  const key = fromBody ?? fromHeader;
  if (key === undefined) {
    throw CreditsError.field('idempotencyKey', 'is required: in the body or in the Idempotency-Key header');
  }
  return key;
}

/** Drops the ledger's `replayed` flag from the body and says it in `Idempotent-Replayed` instead. */
export function replayAware<T extends { replayed: boolean }>(
  c: Context<ApiEnv>,
  result: T,
): Omit<T, 'replayed'> {
  const { replayed, ...body } = result;
  if (replayed) {
    c.header('Idempotent-Replayed', 'true');
    c.set('replayed', true);
  }
  return body;
}

export { spenderOf } from '../../../application/access.js';

export function actorOf(c: Context<ApiEnv>, actor: string | null | undefined): string {
  return actor ?? defaultActor(c.get('principal'));
}

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
