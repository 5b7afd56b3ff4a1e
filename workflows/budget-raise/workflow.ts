import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BudgetRaise, RaisableBudget } from '../../application/budget-raises.js';
import { notifyAll } from '../notify/workflow.js';
import { checkDecisionInput, describeWindow, failureMessage } from '../purchase/common.js';
import type { RaiseActivities } from './activities.js';
import { approveRaise, type RaiseDecision, raiseState, rejectRaise } from './definitions.js';

const acts = proxyActivities<RaiseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** What a raise workflow is started with: only the raise's id (= the workflow id). */
export interface RaiseInput {
  raiseId: string;
}

/**
 * A request for more of one budget in its current period (workflow id = raise id), trusting
 * nothing of its input but the id: the amount, budget, period and approval deadline are the
 * `budget_raises` row the application wrote; a decision counts only once an activity has matched
 * its ticket and found its `by` to be an owner or admin now, and the approval is written only if
 * that is still so. Unanswered by the deadline (the approval window, never past the period's
 * end), it expires. An approved raise needs nothing more: the debit reads approved raises of the
 * period into the budget's limit, so it lasts exactly until the period ends.
 */
export async function budgetRaiseWorkflow(input: RaiseInput): Promise<BudgetRaise> {
  const raiseId = typeof input?.raiseId === 'string' ? input.raiseId : '';
  let view: BudgetRaise | null = null;
  let budget: RaisableBudget | null = null;
  let loaded = false;
  let deciding = false;
  let decision: (RaiseDecision & { approved: boolean }) | null = null;
  let settled = false;

  setHandlers();

  const found = await acts.loadRaise({ raiseId, workflowId: workflowInfo().workflowId });
  loaded = true;
  if (!found.ok) {
    if (found.raise) {
      view = await acts.settleRaise({ raiseId, status: 'expired', note: found.reason });
      settled = true;
      return view;
    }
    throw ApplicationFailure.nonRetryable(found.reason, 'Refused');
  }
  view = found.raise;
  budget = found.budget;

  await notify('raise_request', 'approval');
  const deadline = view.approvalDeadline ? Date.parse(view.approvalDeadline) : Date.now();
  const windowMs = Math.max(0, deadline - Date.parse(view.createdAt));
  const answered = await condition(() => decision !== null, Math.max(1, deadline - Date.now()));
  if (!answered && deciding) await condition(() => !deciding);
  if (!decision) {
    view = await acts.settleRaise({
      raiseId,
      status: 'expired',
      note: `no approver answered within ${describeWindow(windowMs)}`,
    });
  } else {
    const d = decision as RaiseDecision & { approved: boolean };
    view = await acts.settleRaise({
      raiseId,
      status: d.approved ? 'approved' : 'rejected',
      decidedBy: d.by,
      ...(d.reason ? { note: d.reason } : {}),
    });
  }
  settled = true;
  await notify('raise_update', view.status);
  return view;

  function notify(kind: 'raise_request' | 'raise_update', step: string) {
    return notifyAll({
      kind,
      id: `raise:${view!.id}:${step}`,
      workspaceId: view!.workspaceId,
      raise: view!,
      budget: budget!,
      occurredAt: new Date().toISOString(),
    });
  }

  function notPending(): ApplicationFailure {
    const status = decision ? 'decided' : deciding ? 'being decided' : (view?.status ?? 'unknown');
    return ApplicationFailure.nonRetryable(`raise ${raiseId} is already ${status}`, 'NotPending');
  }

  function setHandlers() {
    const validate = (d: RaiseDecision) => {
      if (loaded && (view?.status !== 'pending_approval' || decision !== null || deciding))
        throw notPending();
      checkDecisionInput(d);
    };
    const decide = (approved: boolean) => async (d: RaiseDecision) => {
      await condition(() => loaded);
      if (view?.status !== 'pending_approval' || decision !== null || deciding) throw notPending();
      deciding = true;
      let by: string;
      try {
        by = await acts.confirmRaiseApprover({ raiseId, by: d.by, approved, ticket: d.ticket });
      } catch (err) {
        throw ApplicationFailure.nonRetryable(failureMessage(err), 'NotApprover');
      } finally {
        deciding = false;
      }
      if (settled || decision !== null) throw notPending();
      decision = { by, approved, ...(d.reason ? { reason: d.reason } : {}) };
      // Answer once the outcome is in the table, so a read right after sees it.
      await condition(() => settled);
      return view!;
    };
    setHandler(approveRaise, decide(true), { validator: validate });
    setHandler(rejectRaise, decide(false), { validator: validate });
    setHandler(raiseState, () => {
      if (!view) throw new Error(`raise ${raiseId} is not loaded yet`);
      return view;
    });
  }
}
