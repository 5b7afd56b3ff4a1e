import { CreditsError } from '../errors.js';
import { LOT_TYPES, type LotType, MAX_AMOUNT, SOURCES } from '../types.js';
import type { Actor, BudgetRefusal } from './types.js';
import { MAX_HOLD_TIMEOUT_SECONDS } from './types.js';

/** Input checks shared by the commands: each names the failing field, before anything is written. */

export function insufficient(required: number, available: number): CreditsError {
  return new CreditsError(
    'insufficient_credits',
    `insufficient credits: ${required} required, ${available} available`,
    { required, available },
  );
}

/** `402 budget_exceeded`: the budget that refused, its limit for the period, what it used, what was asked. */
export function budgetExceeded(r: Omit<BudgetRefusal, 's'>): CreditsError {
  const what =
    r.perDebitMax !== null && r.requested > r.perDebitMax
      ? `more than the ${r.perDebitMax} credits budget ${r.budgetId} allows per debit`
      : `over budget ${r.budgetId}: ${r.used} of ${r.limit} used`;
  return new CreditsError(
    'budget_exceeded',
    `${r.requested} credits would be ${what}; it resets at ${r.resetsAt}`,
    {
      budgetId: r.budgetId,
      limit: r.limit,
      used: r.used,
      requested: r.requested,
      resetsAt: r.resetsAt,
      ...(r.perDebitMax !== null ? { perDebitMax: r.perDebitMax } : {}),
    },
  );
}

export function checkAmount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT) {
    throw CreditsError.field(field, `must be a whole number of credits from 1 to ${MAX_AMOUNT}`);
  }
  return value;
}

/** A correction may go either way, but never by nothing. */
export function checkSignedAmount(field: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value === 0 ||
    Math.abs(value) > MAX_AMOUNT
  ) {
    throw CreditsError.field(
      field,
      `must be a non-zero whole number between -${MAX_AMOUNT} and ${MAX_AMOUNT}`,
    );
  }
  return value;
}

/** For runtimes without String.prototype.isWellFormed (Node 20 and 24 have it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string PostgreSQL cannot store: NUL is refused by `text` and `jsonb`, and a lone surrogate has
 * no UTF-8 form. Refused here, by name, so one such value never reaches (and fails) a batch.
 */
export function unstorable(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  const wellFormed = (value as { isWellFormed?: () => boolean }).isWellFormed;
  if (wellFormed ? !wellFormed.call(value) : LONE_SURROGATE.test(value))
    return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return null;
}

export function checkText(field: string, value: string): string {
  const problem = unstorable(value);
  if (problem) throw CreditsError.field(field, problem);
  return value;
}

/** Walks a JSON-like value (metadata, params, origin): every key and string inside must be storable. */
export function checkJsonText(field: string, value: unknown, depth = 0): void {
  if (typeof value === 'string') {
    checkText(field, value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > 32) throw CreditsError.field(field, 'is nested too deeply (at most 32 levels)');
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJsonText(`${field}.${i}`, v, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const problem = unstorable(k);
    if (problem) throw CreditsError.field(field, `keys ${problem}`);
    checkJsonText(`${field}.${k}`, v, depth + 1);
  }
}

export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.trim().length === 0 || key.length > 255) {
    throw CreditsError.field('idempotencyKey', 'is required: a non-empty string of at most 255 characters');
  }
  return checkText('idempotencyKey', key);
}

export function checkReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 1000) {
    throw CreditsError.field('reason', 'is required: say why, in at most 1000 characters');
  }
  return checkText('reason', reason.trim());
}

/** Who and where (actor, source) and the caller's metadata, shared by every write. */
export function checkActor(input: Actor): void {
  if (input.source !== undefined && !SOURCES.includes(input.source)) {
    throw CreditsError.field('source', `must be one of ${SOURCES.join(', ')}`);
  }
  if (input.actor != null && (typeof input.actor !== 'string' || input.actor.length > 200)) {
    throw CreditsError.field('actor', 'must be a string of at most 200 characters');
  }
  if (typeof input.actor === 'string') checkText('actor', input.actor);
  if (input.metadata !== undefined) checkJsonText('metadata', input.metadata);
}

export function checkLotType(type: LotType): LotType {
  if (!LOT_TYPES.includes(type)) throw CreditsError.field('type', `must be one of ${LOT_TYPES.join(', ')}`);
  return type;
}

export function checkPriority(priority: number): number {
  if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000) {
    throw CreditsError.field('priority', 'must be an integer between -1000000 and 1000000');
  }
  return priority;
}

export function checkHoldTimeout(timeout: number): number {
  if (!Number.isSafeInteger(timeout) || timeout < 1 || timeout > MAX_HOLD_TIMEOUT_SECONDS) {
    throw CreditsError.field(
      'timeoutSeconds',
      `must be a whole number of seconds from 1 to ${MAX_HOLD_TIMEOUT_SECONDS}`,
    );
  }
  return timeout;
}

export function parseExpiry(value: Date | string | null | undefined, now: Date): Date | null {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw CreditsError.field('expiresAt', 'must be an ISO-8601 date-time');
  if (date.getTime() <= now.getTime()) throw CreditsError.field('expiresAt', 'must be in the future');
  return date;
}

/** Ids are bigint sequences; anything else cannot name a row, so it is reported as not found. */
export function parseId(raw: string, what: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw CreditsError.notFound(what, raw);
  return Number(raw);
}
