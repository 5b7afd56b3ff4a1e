import { CreditsError } from '../../ledger/errors.js';
import type { LedgerCatalog } from '../../ledger/ledger.js';
import { DEFAULT_PRIORITY } from '../../ledger/types.js';

const plans: Record<string, { kind: 'trial' | 'subscription'; credits: number }> = {
  solo: { kind: 'subscription', credits: 980 },
  trial: { kind: 'trial', credits: 60 },
};

/** A minimal catalog for ledger tests that are about lots and the journal, not prices. */
export const plainCatalog: LedgerCatalog = {
  plan: (key) => plans[key],
  priceDebit: ({ operation, quantity }) => {
    if (operation !== 'unit') throw CreditsError.field('operation', `unknown operation ${operation}`);
    return { amount: 3 * (quantity ?? 1), quantity: quantity ?? 1 };
  },
  priority: (type) => DEFAULT_PRIORITY[type],
};

export const planKeys = { has: (k: string) => k in plans, keys: () => Object.keys(plans) };
