import { CreditsError } from '../errors.js';
import { LOT_TYPES, type LotType, MAX_AMOUNT, SOURCES } from '../types.js';
import type { Actor } from './types.js';
import { MAX_HOLD_TIMEOUT_SECONDS } from './types.js';

/** Input checks shared by the commands: each names the failing field, before anything is written. */

export function insufficient(required: number, available: number): CreditsError {
  return new CreditsError(
    'insufficient_credits',
    `insufficient credits: ${required} required, ${available} available`,
    { required, available },
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

export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.trim().length === 0 || key.length > 255) {
    throw CreditsError.field('idempotencyKey', 'is required: a non-empty string of at most 255 characters');
  }
  return key;
}

export function checkReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 1000) {
    throw CreditsError.field('reason', 'is required: say why, in at most 1000 characters');
  }
  return reason.trim();
}

export function checkActor(input: Actor): void {
  if (input.source !== undefined && !SOURCES.includes(input.source)) {
    throw CreditsError.field('source', `must be one of ${SOURCES.join(', ')}`);
  }
  if (input.actor != null && (typeof input.actor !== 'string' || input.actor.length > 200)) {
    throw CreditsError.field('actor', 'must be a string of at most 200 characters');
  }
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
