import { CreditsError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { type KeyNamespace, splitKey } from '../idempotency.js';
import { toMinor } from '../money.js';
import type { WorkspaceTx } from '../workspace-tx.js';
import { balanceIn, type CommandContext, idempotentWrite } from './context.js';
import type { GrantInput, GrantResult } from './types.js';
import {
  checkActor,
  checkAmount,
  checkJsonText,
  checkKey,
  checkLotType,
  checkPriority,
  checkReason,
  parseExpiry,
} from './validation.js';

/** A checked grant: its key, the fingerprint a replay must match, and what it writes. */
export interface PreparedGrant {
  key: string;
  namespace: KeyNamespace;
  hash: string;
  input: GrantInput;
  amount: number;
  reason: string;
  expiresAt: Date | null;
  priority: number;
  /** The cost basis named in the input (a purchase's lot reads its own when written). */
  price: { minor: bigint; currency: string } | null;
}

/** Checks a grant's input against `now` (its expiry must be later) and fingerprints it. */
export function prepareGrant(ctx: CommandContext, input: GrantInput, now: Date): PreparedGrant {
  const { name, namespace } = splitKey(input.idempotencyKey);
  const key = checkKey(name);
  checkActor(input);
  checkLotType(input.type);
  if (input.origin !== undefined) checkJsonText('origin', input.origin);
  const amount = checkAmount('amount', input.amount);
  const reason = checkReason(input.reason);
  const expiresAt = parseExpiry(input.expiresAt, now);
  const priority = checkPriority(input.priority ?? ctx.catalog.priority(input.type));
  // Not in the fingerprint: a lifecycle grant replayed after its catalog price changed (or after this
  // field existed) must find its first answer, not an idempotency conflict; the first basis stays.
  const price = input.price === undefined ? null : checkPrice(input.price);
  const hash = fingerprint({
    op: 'grant',
    type: input.type,
    amount,
    expiresAt: expiresAt?.toISOString() ?? null,
    priority,
    reason,
    origin: input.origin,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return { key, namespace, hash, input, amount, reason, expiresAt, priority, price };
}

function checkPrice(price: { amount: string; currency: string }): { minor: bigint; currency: string } {
  if (typeof price !== 'object' || price === null)
    throw CreditsError.field('price', 'must be { amount, currency }');
  if (typeof price.currency !== 'string' || !/^[A-Z]{3}$/.test(price.currency)) {
    throw CreditsError.field('price.currency', 'must be an ISO 4217 code such as "USD"');
  }
  return { minor: toMinor(price.amount, 'price.amount'), currency: price.currency };
}

/**
 * The lot's cost basis: the input's, or for a purchase's lot the price its purchases row recorded
 * (the database's terms, never a caller's); 0 for everything else.
 */
async function basisOf(
  w: WorkspaceTx,
  grant: PreparedGrant,
): Promise<{ priceMinor: bigint; currency: string | null }> {
  if (grant.price) return { priceMinor: grant.price.minor, currency: grant.price.currency };
  const origin = grant.input.origin;
  if (
    grant.input.type === 'purchased' &&
    origin?.kind === 'purchase' &&
    typeof origin.purchaseId === 'string'
  ) {
    const [row] = await w.tx`
      SELECT price::text AS price, currency FROM purchases
       WHERE id = ${origin.purchaseId} AND workspace_id = ${w.workspace.id}`;
    if (row) return { priceMinor: toMinor(row.price as string, 'price'), currency: row.currency as string };
  }
  return { priceMinor: 0n, currency: null };
}

/** Writes a prepared grant on the open workspace: a new lot and its grant entry. */
export async function writeGrant(
  ctx: CommandContext,
  w: WorkspaceTx,
  grant: PreparedGrant,
): Promise<Omit<GrantResult, 'replayed'>> {
  const { input, amount } = grant;
  const entryId = await w.nextEntryId();
  const lot = await w.newLot(
    {
      type: input.type,
      amount,
      priority: grant.priority,
      expiresAt: grant.expiresAt,
      source: { kind: 'manual', reason: grant.reason, ...input.origin },
      ...(await basisOf(w, grant)),
    },
    entryId,
  );
  const transaction = w.addEntry(entryId, {
    kind: 'grant',
    movements: [{ lot, delta: amount }],
    actor: input.actor ?? null,
    source: input.source ?? 'api',
    idempotencyKey: grant.key,
    reason: grant.reason,
    metadata: input.metadata ?? {},
  });
  return {
    transaction,
    lot: {
      id: String(lot.id),
      type: lot.type,
      amount,
      remaining: lot.remaining,
      expiresAt: lot.expiresAt?.toISOString() ?? null,
    },
    balance: balanceIn(ctx, w, transaction),
  };
}

/** Adds a lot of credits (subscription cycle, purchase, trial, promotion) with one grant entry. */
export async function grant(
  ctx: CommandContext,
  workspaceId: string,
  input: GrantInput,
): Promise<GrantResult> {
  const prepared = prepareGrant(ctx, input, ctx.now());
  return idempotentWrite(
    ctx,
    workspaceId,
    prepared.key,
    prepared.hash,
    (w) => writeGrant(ctx, w, prepared),
    prepared.namespace,
  );
}
