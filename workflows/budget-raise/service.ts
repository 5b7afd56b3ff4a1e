import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { BudgetRaise, BudgetRaises, RaisableBudget } from '../../application/budget-raises.js';
import { CreditsError } from '../../ledger/errors.js';
import { type BudgetRaiseStore, newRaiseId } from '../../ledger/stores/budget-raises.js';
import type { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { sendDecision } from '../purchase/decision-update.js';
import { approveRaise, rejectRaise } from './definitions.js';
import type { budgetRaiseWorkflow, RaiseInput } from './workflow.js';

/** The purchases' default approval window (48 h): TemporalPurchases passes its own. */
const DEFAULT_APPROVAL_WINDOW_MS = 48 * 3600 * 1000;

export interface TemporalRaisesOptions {
  client: Client;
  taskQueue: string;
  /** The budget_raises table (`ledger.budgetRaises`). */
  store: BudgetRaiseStore;
  directory: WorkspaceDirectory;
  /** How long approvers have to answer; the same setting as purchases (default 48 h). */
  approvalWindowMs?: number;
  clock?: () => Date;
}

/**
 * The raise port on Temporal: one workflow per raise (workflow id = raise id). The row is
 * written first, with its period and deadline; the workflow is started with the id alone.
 */
export class TemporalRaises implements BudgetRaises {
  private readonly approvalWindowMs: number;
  private readonly clock: () => Date;

  constructor(private readonly options: TemporalRaisesOptions) {
    this.approvalWindowMs = options.approvalWindowMs ?? DEFAULT_APPROVAL_WINDOW_MS;
    this.clock = options.clock ?? (() => new Date());
  }

  async request(
    budget: RaisableBudget,
    input: { amount: number; reason: string; requestedBy: string | null; source: string },
  ): Promise<BudgetRaise> {
    const now = this.clock();
    const periodEnd = Date.parse(budget.periodEnd);
    // Asking later than the period's end makes no sense: the raise would end before it started.
    const deadline = Math.min(now.getTime() + this.approvalWindowMs, periodEnd);
    const raise: BudgetRaise = {
      id: newRaiseId(),
      workspaceId: budget.workspaceId,
      budgetId: budget.id,
      amount: input.amount,
      reason: input.reason,
      status: 'pending_approval',
      requestedBy: input.requestedBy,
      source: input.source,
      periodStart: budget.periodStart,
      periodEnd: budget.periodEnd,
      approvalDeadline: new Date(deadline).toISOString(),
      decidedBy: null,
      decidedVia: null,
      outcome: null,
      createdAt: now.toISOString(),
      decidedAt: null,
    };
    await this.options.store.insert(raise);
    const args: [RaiseInput] = [{ raiseId: raise.id }];
    try {
      await this.options.client.workflow.start<typeof budgetRaiseWorkflow>('budgetRaiseWorkflow', {
        workflowId: raise.id,
        taskQueue: this.options.taskQueue,
        args,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        await this.options.store.settle(raise.id, {
          status: 'expired',
          note: `could not start: ${(err as Error).message}`,
        });
        throw new CreditsError(
          'unavailable',
          `the raise flow could not be started: ${(err as Error).message}`,
          {
            id: raise.id,
          },
        );
      }
    }
    return raise;
  }

  async get(id: string, scope: { workspaceId?: string } = {}): Promise<BudgetRaise> {
    const raise = await this.options.store.get(id);
    if (!raise || (scope.workspaceId && raise.workspaceId !== scope.workspaceId))
      throw CreditsError.notFound('raise', id);
    return raise;
  }

  pending(workspaceId: string): Promise<BudgetRaise[]> {
    return this.options.store.pending(workspaceId);
  }

  async approve(id: string, input: { by: string; channel?: string }, scope: { workspaceId?: string } = {}) {
    await this.decide(id, input, true, scope);
    return this.get(id, scope);
  }

  async reject(
    id: string,
    input: { by: string; reason?: string; channel?: string },
    scope: { workspaceId?: string } = {},
  ) {
    await this.decide(id, input, false, scope);
    return this.get(id, scope);
  }

  private async decide(
    id: string,
    input: { by: string; reason?: string; channel?: string },
    approved: boolean,
    scope: { workspaceId?: string },
  ): Promise<void> {
    const current = await this.get(id, scope);
    if (typeof input?.by !== 'string' || !input.by.trim())
      throw CreditsError.field('by', 'is required: the member id of the approver');
    if (input.reason !== undefined && (typeof input.reason !== 'string' || input.reason.length > 500)) {
      throw CreditsError.field('reason', 'must be a string of at most 500 characters');
    }
    const member = await this.options.directory.member(current.workspaceId, input.by.trim());
    if (!member || (member.role !== 'owner' && member.role !== 'admin')) {
      throw new CreditsError(
        'forbidden',
        `${input.by} is not an owner or admin of ${current.workspaceId}; only owners and admins can ${approved ? 'approve' : 'reject'} budget raises`,
        { by: input.by, role: member?.role ?? null },
      );
    }
    if (current.status !== 'pending_approval') throw notPending(current);
    const ticket = await this.options.store.recordDecision({
      raiseId: id,
      by: member.id,
      approved,
      channel: input.channel,
    });
    await sendDecision(
      () =>
        this.options.client.workflow.getHandle(id).executeUpdate(approved ? approveRaise : rejectRaise, {
          args: [{ by: member.id, ticket, ...(input.reason ? { reason: input.reason } : {}) }],
        }),
      input.by,
      async () => notPending(await this.get(id)),
    );
  }
}

function notPending(r: BudgetRaise): CreditsError {
  return new CreditsError(
    'conflict',
    `raise ${r.id} is ${r.status.replace('_', ' ')}; only a pending raise can be approved or rejected`,
    { id: r.id, status: r.status },
  );
}
