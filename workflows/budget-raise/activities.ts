import { ApplicationFailure } from '@temporalio/activity';
import type { BudgetLookup, BudgetRaise, RaisableBudget } from '../../application/budget-raises.js';
import type { ActivityDeps } from '../deps.js';

export type LoadedRaise =
  | { ok: true; raise: BudgetRaise; budget: RaisableBudget }
  | { ok: false; reason: string; raise: BudgetRaise | null };

export interface RaiseActivities {
  /** The raise as the application stored it; refused unless it exists, runs under its own id and is pending. */
  loadRaise(input: { raiseId: string; workflowId: string }): Promise<LoadedRaise>;
  /**
   * The approver's member id when the application recorded this decision (its ticket) and `by` is
   * an owner or admin of the raise's workspace NOW.
   */
  confirmRaiseApprover(input: {
    raiseId: string;
    by: string;
    approved: boolean;
    ticket?: string;
  }): Promise<string>;
  /**
   * Settles the stored raise; an approval is written only while its approver is still an owner or
   * admin (re-read here, not taken from the workflow), else the raise is rejected with why.
   */
  settleRaise(input: {
    raiseId: string;
    status: 'approved' | 'rejected' | 'expired';
    decidedBy?: string;
    note?: string;
  }): Promise<BudgetRaise>;
}

const APPROVER_ROLES = new Set(['owner', 'admin']);

export function raiseActivities(deps: ActivityDeps, budgets: BudgetLookup): RaiseActivities {
  const { ledger, directory } = deps;
  const store = ledger.budgetRaises;

  async function approver(workspaceId: string, by: string | null | undefined): Promise<string | null> {
    if (typeof by !== 'string' || !by.trim()) return null;
    const member = await directory.member(workspaceId, by.trim());
    return member && APPROVER_ROLES.has(member.role) ? member.id : null;
  }

  async function stored(raiseId: string): Promise<BudgetRaise> {
    const raise = await store.get(raiseId);
    if (!raise) throw ApplicationFailure.nonRetryable(`no raise ${raiseId} was requested`, 'UnknownRaise');
    return raise;
  }

  return {
    async loadRaise({ raiseId, workflowId }) {
      if (raiseId !== workflowId) {
        return {
          ok: false,
          reason: `a raise workflow must run under its raise's id, not ${JSON.stringify(workflowId)}`,
          raise: null,
        };
      }
      const raise = await store.get(raiseId);
      if (!raise) return { ok: false, reason: `no raise ${raiseId} was requested`, raise: null };
      if (raise.status !== 'pending_approval') {
        return { ok: false, reason: `raise ${raiseId} is already ${raise.status}`, raise: null };
      }
      const budget = await budgets.raisable(raise.budgetId);
      if (!budget || budget.workspaceId !== raise.workspaceId) {
        return { ok: false, reason: `budget ${raise.budgetId} no longer exists`, raise };
      }
      return { ok: true, raise, budget };
    },

    async confirmRaiseApprover({ raiseId, by, approved, ticket }) {
      const raise = await stored(raiseId);
      const recorded = typeof ticket === 'string' ? await store.decision(ticket) : null;
      if (!recorded || recorded.raiseId !== raiseId || recorded.by !== by || recorded.approved !== approved) {
        throw ApplicationFailure.nonRetryable(
          `this decision on ${raiseId} was not taken through the application (no matching decision ticket); approve or reject through the API or chat`,
          'NotApprover',
        );
      }
      const member = await approver(raise.workspaceId, by);
      if (!member) {
        throw ApplicationFailure.nonRetryable(
          `${by} is not an owner or admin of ${raise.workspaceId}; only owners and admins can decide on budget raises`,
          'NotApprover',
        );
      }
      return member;
    },

    async settleRaise({ raiseId, status, decidedBy, note }) {
      const raise = await stored(raiseId);
      if (status === 'approved' && !(await approver(raise.workspaceId, decidedBy))) {
        await store.settle(raiseId, {
          status: 'rejected',
          decidedBy: decidedBy ?? null,
          note: `${decidedBy ?? 'nobody'} is no longer an owner or admin; the raise was not granted`,
        });
      } else {
        await store.settle(raiseId, { status, decidedBy: decidedBy ?? null, note: note ?? null });
      }
      return stored(raiseId);
    },
  };
}
