import type { LotType } from './types.js';

/** A lot as a write transaction sees it while it holds the workspace lock. */
export interface LotState {
  id: number;
  type: LotType;
  remaining: number;
  priority: number;
  grantedAt: Date;
  expiresAt: Date | null;
}

export interface Allocation {
  lot: LotState;
  amount: number;
}

/** Lower priority number first, then soonest expiry (never-expiring last), then oldest, then id. */
export function consumptionOrder(a: LotState, b: LotState): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const ae = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const be = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ae !== be) return ae - be;
  const ag = a.grantedAt.getTime();
  const bg = b.grantedAt.getTime();
  if (ag !== bg) return ag - bg;
  return a.id - b.id;
}

export function isSpendable(lot: LotState, now: Date): boolean {
  return lot.remaining > 0 && (lot.expiresAt === null || lot.expiresAt.getTime() > now.getTime());
}

export function spendable(lots: readonly LotState[], now: Date): number {
  let total = 0;
  for (const lot of lots) if (isSpendable(lot, now)) total += lot.remaining;
  return total;
}

/**
 * Which lots an amount would come from, in consumption order; null when the unexpired lots
 * cannot cover it (all-or-nothing: the caller then moves nothing). Does not mutate the lots.
 */
export function allocate(lots: readonly LotState[], amount: number, now: Date): Allocation[] | null {
  if (amount > spendable(lots, now)) return null;
  const ordered = lots.filter((l) => isSpendable(l, now)).sort(consumptionOrder);
  const allocations: Allocation[] = [];
  let left = amount;
  for (const lot of ordered) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    allocations.push({ lot, amount: take });
    left -= take;
  }
  return allocations;
}
