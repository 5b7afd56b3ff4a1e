import type { PurchaseView } from '../../application/notifications.js';
import type { Purchase, Purchases } from '../../application/purchases.js';
import type { Source } from '../../ledger/types.js';
import type { PurchaseManager } from '../../workflows/purchase/service.js';

function toPurchase(p: PurchaseView & { lotId?: string | null; updatedAt?: string }): Purchase {
  // The full view (packageName, automatic, approvalDeadline, source…) goes out too: clients ignore
  // fields they do not know, and the chat approval messages use them.
  return { ...p, lotId: p.lotId ?? null };
}

/**
 * The API's Purchases on Temporal: each purchase is a `purchaseWorkflow` (workflow id =
 * purchase id) started and driven by the worker side's PurchaseManager. Plug it in with
 * `createApp({ ...ctx, purchases: new TemporalPurchaseService(worker.purchases) })`.
 */
export class TemporalPurchaseService implements Purchases {
  constructor(private readonly manager: PurchaseManager) {}

  async request(
    workspaceId: string,
    input: { package: string; requestedBy?: string; source: Source },
  ): Promise<Purchase> {
    return toPurchase(await this.manager.request(workspaceId, input));
  }

  async get(id: string, scope: { workspaceId?: string }): Promise<Purchase> {
    return toPurchase(await this.manager.get(id, scope));
  }

  async approve(id: string, input: { by: string }, scope: { workspaceId?: string }): Promise<Purchase> {
    await this.manager.approve(id, input, scope);
    return toPurchase(await this.manager.get(id, scope));
  }

  async reject(
    id: string,
    input: { by: string; reason?: string },
    scope: { workspaceId?: string },
  ): Promise<Purchase> {
    await this.manager.reject(id, input, scope);
    return toPurchase(await this.manager.get(id, scope));
  }
}
