import type { LedgerCatalog } from '../ledger.js';
import { priceOperation } from '../pricing.js';
import type { Catalog } from './schema.js';

/** The narrow view of a catalog that the ledger and the directory need. */
export function ledgerCatalog(catalog: Catalog): LedgerCatalog {
  const plans = new Map(catalog.plans.map((p) => [p.key, p]));
  return {
    plan: (key) => {
      const plan = plans.get(key);
      return plan ? { kind: plan.kind, credits: plan.credits } : undefined;
    },
    priceDebit: (request) => {
      const price = priceOperation(catalog, request);
      return { amount: price.amount, quantity: price.quantity };
    },
    priority: (type) => catalog.lotPriorities[type],
    alertThresholds: () => ({ low: catalog.alerts.low, critical: catalog.alerts.critical }),
  };
}

export function planKeys(catalog: Catalog): { has(key: string): boolean; keys(): string[] } {
  const keys = catalog.plans.map((p) => p.key);
  return { has: (key) => keys.includes(key), keys: () => keys };
}
