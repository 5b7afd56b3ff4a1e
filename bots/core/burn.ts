import type { Ledger } from '../../ledger/ledger.js';
import { DAY_MS } from './format.js';

/** The burn window: the last 30 whole UTC days plus today so far (what the ledger's daily rollup answers cheaply). */
export const WINDOW_DAYS = 30;

export interface Burn {
  used: number;
  days: number;
  perDay: number;
}

/**
 * Credits used per day over the window (30 whole UTC days plus today), divided by the time the
 * window spans up to now, or since the first grant when the workspace is younger (at least one
 * day, so a first hour's debits do not read as a huge rate). Cached briefly: it moves slowly, and
 * the read is a handful of rollup rows anyway.
 */
export class BurnRates {
  private readonly cache = new Map<string, { at: number; value: Promise<Burn> }>();

  constructor(
    private readonly ledger: Pick<Ledger, 'recentUsage'>,
    private readonly ttlMs = 60_000,
  ) {}

  get(workspaceId: string, now: Date): Promise<Burn> {
    const cached = this.cache.get(workspaceId);
    const at = Date.now();
    if (cached && at - cached.at < this.ttlMs) return cached.value;
    const value = this.compute(workspaceId, now);
    this.cache.set(workspaceId, { at, value });
    value.catch(() => this.cache.delete(workspaceId));
    if (this.cache.size > 10_000) {
      for (const [k, v] of this.cache) if (at - v.at >= this.ttlMs) this.cache.delete(k);
    }
    return value;
  }

  private async compute(workspaceId: string, now: Date): Promise<Burn> {
    const { used, from, firstGrantAt } = await this.ledger.recentUsage(workspaceId, now, WINDOW_DAYS);
    const start = Math.max(from.getTime(), (firstGrantAt ?? now).getTime());
    const days = Math.max(1, (now.getTime() - start) / DAY_MS);
    return { used, days, perDay: used / days };
  }
}
