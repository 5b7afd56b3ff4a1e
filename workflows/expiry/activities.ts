import type { ActivityDeps } from '../deps.js';

export interface ExpiryActivities {
  /** Writes the journal entries of every lot past its date (and releases timed-out holds). */
  expireDueLots(): Promise<{ workspaces: number; entries: number }>;
}

export function expiryActivities(deps: ActivityDeps): ExpiryActivities {
  return {
    async expireDueLots() {
      const results = await deps.ledger.expireDue();
      return {
        workspaces: results.filter((r) => r.transactions.length > 0).length,
        entries: results.reduce((n, r) => n + r.transactions.length, 0),
      };
    },
  };
}
