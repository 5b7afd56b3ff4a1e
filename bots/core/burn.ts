import type { Ledger } from '../../ledger/ledger.js';
import { DAY_MS } from './format.js';

export const WINDOW_DAYS = 30;

export interface Burn {
  used: number;
  days: number;
  perDay: number;
}

/** Credits used per day over the last 30 days (or since the first grant, when younger), cached briefly: it moves slowly. */
export class BurnRates {
  private readonly cache = new Map<string, { at: number; value: Promise<Burn> }>();

  constructor(
    private readonly ledger: Pick<Ledger, 'usageInWindow'>,
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
    const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
    const { used, firstGrantAt } = await this.ledger.usageInWindow(workspaceId, from, now);
    const first = firstGrantAt ?? now;
    const days = Math.min(WINDOW_DAYS, Math.max(1, (now.getTime() - first.getTime()) / DAY_MS));
    return { used, days, perDay: used / days };
  }
}
