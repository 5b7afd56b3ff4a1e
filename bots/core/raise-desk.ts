import {
  type BudgetLookup,
  type BudgetRaise,
  type BudgetRaises,
  decideRaise,
  describeSubject,
  type RaisableBudget,
} from '../../application/budget-raises.js';
import { isCreditsError } from '../../ledger/errors.js';
import type { AuditedChanges } from '../../ledger/stores/audited-changes.js';
import type { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { principalOf, refuseUnlessAllowed } from './access.js';
import { credits, dayTime } from './format.js';
import type { Identified } from './identity.js';
import { failure, NO_WORKER, refusal, refuse } from './replies.js';
import { type Answer, type Asker, type Block, RAISE_APPROVE_ACTION, RAISE_REJECT_ACTION } from './types.js';

export const PERIOD_WORDS: Record<string, string> = {
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
  cycle: 'billing-cycle',
};

export interface RaiseDeskDeps {
  /** Read at each use: the flows may be plugged in after the core is built (the worker's). */
  raises(): BudgetRaises | undefined;
  budgets: BudgetLookup;
  directory: Pick<WorkspaceDirectory, 'member' | 'memberByChatUser' | 'workspace'>;
  changes: AuditedChanges;
  clock: () => Date;
  identify(asker: Asker): Promise<Identified>;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Budget-raise decisions and approval messages, for buttons (Slack, Discord), the console and
 * notifications alike: decided as the presser, through the same use case as the API.
 */
export class RaiseDesk {
  constructor(private readonly deps: RaiseDeskDeps) {}

  async decide(
    asker: Asker,
    raiseId: string,
    decision: 'approve' | 'reject',
  ): Promise<{ ok: boolean; answer: Answer; raise?: BudgetRaise }> {
    try {
      const raises = this.deps.raises();
      if (!raises) return { ok: false, answer: refusal(NO_WORKER) };
      const who = await this.identifyFor(asker, raises, raiseId);
      if (!who.ok) return { ok: false, answer: who.answer };
      const refused = refuseUnlessAllowed(who.identity, asker.platform, 'decideRaise', decision);
      if (refused) return { ok: false, answer: refused };
      const scope = { workspaceId: who.identity.workspaceId };
      try {
        const raise = await decideRaise(
          { raises, budgets: this.deps.budgets, audit: this.deps.changes },
          principalOf(who.identity, asker.platform),
          raiseId,
          decision === 'approve'
            ? { approve: true }
            : { approve: false, reason: `rejected in ${asker.platform}` },
          asker.platform,
          scope,
        );
        return { ok: true, answer: await this.message(raise), raise };
      } catch (error) {
        if (!isCreditsError(error)) throw error;
        const current = await raises.get(raiseId, scope).catch(() => undefined);
        return {
          ok: false,
          answer: refusal(
            error.code === 'not_found' ? `Raise ${raiseId} is not a raise of this workspace.` : error.message,
          ),
          ...(current ? { raise: current } : {}),
        };
      }
    } catch (error) {
      return { ok: false, answer: { ...failure(error, this.deps.log), ephemeral: true } };
    }
  }

  /** The presser as a member of the raise's own workspace (the message may sit in a DM). */
  private async identifyFor(asker: Asker, raises: BudgetRaises, raiseId: string): Promise<Identified> {
    if (asker.platform === 'console') return this.deps.identify(asker);
    const raise = await raises.get(raiseId, {}).catch(() => null);
    if (!raise) return this.deps.identify(asker);
    const member = await this.deps.directory.memberByChatUser(
      raise.workspaceId,
      asker.platform,
      asker.userId,
      asker.teamId,
    );
    if (!member)
      return refuse(`Only an owner or admin of workspace "${raise.workspaceId}" can decide this raise.`);
    const ws = await this.deps.directory.workspace(raise.workspaceId);
    return { ok: true, identity: { workspaceId: ws.id, workspaceName: ws.name, member } };
  }

  /** The raise's current message when its status moved on from `shown`, else null. */
  async newerMessage(shown: BudgetRaise): Promise<Answer | null> {
    const raises = this.deps.raises();
    if (!raises) return null;
    const current = await raises.get(shown.id, { workspaceId: shown.workspaceId });
    return current.status === shown.status ? null : this.message(current);
  }

  /** The approval message of a raise: buttons while pending, the outcome after. */
  async message(raise: BudgetRaise, known?: RaisableBudget): Promise<Answer> {
    const budget = known ?? (await this.deps.budgets.raisable(raise.budgetId).catch(() => null));
    const name = async (ref: string | null) => {
      if (!ref) return 'someone';
      const id = ref.startsWith('member:') ? ref.slice('member:'.length) : null;
      const member = id ? await this.deps.directory.member(raise.workspaceId, id).catch(() => null) : null;
      return member?.name ?? ref;
    };
    const whose = budget
      ? `the ${PERIOD_WORDS[budget.period] ?? budget.period} budget of ${describeSubject(budget.subject)} (limit ${credits(budget.limit)})`
      : `budget ${raise.budgetId}`;
    const what = `${credits(raise.amount)} more for ${whose}, until ${dayTime(raise.periodEnd, this.deps.clock())} UTC`;
    const requester = await name(raise.requestedBy);
    const decider = raise.decidedBy ? await name(`member:${raise.decidedBy}`) : null;
    let text: string;
    let tone: Answer['tone'] = 'info';
    switch (raise.status) {
      case 'pending_approval':
        text = `Budget raise request from ${requester}: ${what}. Reason: ${raise.reason}. An owner or admin must approve it${raise.approvalDeadline ? ` by ${dayTime(raise.approvalDeadline, this.deps.clock())} UTC` : ''}.`;
        tone = 'warning';
        break;
      case 'approved':
        text = `Approved by ${decider}: ${what}.`;
        tone = 'good';
        break;
      case 'rejected':
        text = `Rejected${decider ? ` by ${decider}` : ''}: ${what}.${raise.outcome ? ` (${raise.outcome})` : ''}`;
        tone = 'danger';
        break;
      default:
        text = `Expired: nobody approved ${what}.${raise.outcome ? ` (${raise.outcome})` : ''}`;
        tone = 'danger';
    }
    const blocks: Block[] = [
      { type: 'header', text: 'Budget raise' },
      { type: 'section', text },
    ];
    if (raise.status === 'pending_approval') {
      blocks.push({
        type: 'buttons',
        buttons: [
          { actionId: RAISE_APPROVE_ACTION, label: 'Approve', value: raise.id, style: 'primary' },
          { actionId: RAISE_REJECT_ACTION, label: 'Reject', value: raise.id, style: 'danger' },
        ],
      });
      blocks.push({ type: 'context', text: `Only owners and admins can approve. Raise ${raise.id}.` });
    } else {
      blocks.push({ type: 'context', text: `Raise ${raise.id} · ${raise.status.replace('_', ' ')}` });
    }
    return { intent: 'approval', text, blocks, tone };
  }
}
