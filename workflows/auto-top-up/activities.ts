import { monthStart, policyOf } from '../../application/auto-top-up.js';
import type { ActivityDeps } from '../deps.js';
import type { TemporalPurchases } from '../purchase/service.js';

export interface AutoTopUpOutcome {
  started: { id: string; automatic: boolean; price: number } | null;
  /** Why nothing was started. */
  skipped?: string;
}

export interface AutoTopUpActivities {
  checkAutoTopUp(input: { workspaceId: string; trigger: string }): Promise<AutoTopUpOutcome>;
  /** Checks every workspace with an enabled policy (the periodic sweep; catches thresholds no alert covers). */
  sweepAutoTopUp(): Promise<{ checked: number; started: number }>;
}

export function autoTopUpActivities(deps: ActivityDeps, purchases: TemporalPurchases): AutoTopUpActivities {
  const { ledger, directory, catalog } = deps;

  async function check(workspaceId: string): Promise<AutoTopUpOutcome> {
    const ws = await directory.workspace(workspaceId);
    const policy = policyOf(ws.settings, catalog);
    if (!policy?.enabled) return { started: null, skipped: 'no enabled auto top-up policy' };
    const plan = catalog.plans.find((p) => p.key === ws.plan);
    if (!plan?.paid || plan.kind !== 'subscription' || ws.status !== 'active') {
      return { started: null, skipped: 'no active paid subscription' };
    }
    const balance = await ledger.balance(workspaceId);
    if (balance.total >= policy.below)
      return { started: null, skipped: `balance ${balance.total} is not below ${policy.below}` };
    const pkg = catalog.packages.find((p) => p.key === policy.package)!;
    const spending = await ledger.purchases.autoTopUpSpending(workspaceId, monthStart(ledger.now()));
    if (spending.inFlight > 0) return { started: null, skipped: 'an auto top-up is already in flight' };
    const automatic = spending.spent + pkg.price <= policy.monthlyBudget;
    const view = await purchases.tryRequest(workspaceId, {
      package: pkg.key,
      requestedBy: 'auto-top-up',
      source: 'auto_top_up',
      automatic,
    });
    if (!view) return { started: null, skipped: 'an auto top-up is already in flight' };
    return { started: { id: view.id, automatic, price: pkg.price } };
  }

  return {
    async checkAutoTopUp({ workspaceId }) {
      return check(workspaceId);
    },
    async sweepAutoTopUp() {
      const ids = await directory.autoTopUpWorkspaceIds();
      let started = 0;
      for (const id of ids) {
        const outcome = await check(id);
        if (outcome.started) started++;
      }
      return { checked: ids.length, started };
    },
  };
}
