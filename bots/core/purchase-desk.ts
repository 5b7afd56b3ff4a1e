import { decidePurchase, type Purchase, type Purchases } from '../../application/purchases.js';
import { isCreditsError } from '../../ledger/errors.js';
import type { AuditedChanges } from '../../ledger/stores/audited-changes.js';
import type { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { principalOf, refuseUnlessAllowed } from './access.js';
import { credits, dayTime, money } from './format.js';
import type { Identified } from './identity.js';
import { failure, NO_WORKER, refusal, refuse } from './replies.js';
import { type Answer, APPROVE_ACTION, type Asker, type Block, type Field, REJECT_ACTION } from './types.js';

export interface PurchaseDeskDeps {
  purchases?: Purchases;
  directory: Pick<WorkspaceDirectory, 'member' | 'memberByChatUser' | 'workspace'>;
  changes: AuditedChanges;
  clock: () => Date;
  identify(asker: Asker): Promise<Identified>;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Purchase decisions and approval messages, the same for buttons (Slack, Discord), the console's
 * `approve <id>` and notifications: decide as the presser, then describe the purchase's status.
 */
export class PurchaseDesk {
  constructor(private readonly deps: PurchaseDeskDeps) {}

  get purchases(): Purchases | undefined {
    return this.deps.purchases;
  }

  /**
   * An Approve / Reject button was pressed. Only owners and admins may decide; everyone else gets
   * an ephemeral refusal and nothing changes. On success `purchase` is the updated purchase and
   * `answer` the new content of the approval message.
   */
  async decide(
    asker: Asker,
    purchaseId: string,
    decision: 'approve' | 'reject',
  ): Promise<{ ok: boolean; answer: Answer; purchase?: Purchase }> {
    try {
      const who = await this.identifyForPurchase(asker, purchaseId);
      if (!who.ok) return { ok: false, answer: who.answer };
      const { workspaceId } = who.identity;
      const refused = refuseUnlessAllowed(who.identity, asker.platform, 'decide', decision);
      if (refused) return { ok: false, answer: refused };
      const purchases = this.deps.purchases;
      if (!purchases) return { ok: false, answer: refusal(NO_WORKER) };
      const scope = { workspaceId };
      let purchase: Purchase;
      try {
        purchase = await decidePurchase(
          { purchases, audit: this.deps.changes },
          principalOf(who.identity, asker.platform),
          purchaseId,
          decision === 'approve'
            ? { approve: true }
            : { approve: false, reason: `rejected in ${asker.platform}` },
          asker.platform,
          scope,
        );
      } catch (error) {
        if (!isCreditsError(error)) throw error;
        const current = await purchases.get(purchaseId, scope).catch(() => undefined);
        return {
          ok: false,
          answer: refusal(
            error.code === 'not_found'
              ? `Purchase ${purchaseId} is not a purchase of this workspace.`
              : error.message,
          ),
          ...(current ? { purchase: current } : {}),
        };
      }
      return { ok: true, answer: await this.message(purchase), purchase };
    } catch (error) {
      return { ok: false, answer: { ...failure(error, this.deps.log), ephemeral: true } };
    }
  }

  /**
   * Who pressed a purchase button: a member of the purchase's own workspace (the approval message
   * may sit in a DM, where the chat platform names no team), else whoever the channel says.
   */
  private async identifyForPurchase(asker: Asker, purchaseId: string): Promise<Identified> {
    const { purchases, directory } = this.deps;
    if (asker.platform === 'console' || !purchases) return this.deps.identify(asker);
    const purchase = await purchases.get(purchaseId, {}).catch((error: unknown) => {
      if (isCreditsError(error) && error.code === 'not_found') return null;
      throw error;
    });
    if (!purchase?.workspaceId) return this.deps.identify(asker);
    const member = await directory.memberByChatUser(purchase.workspaceId, asker.platform, asker.userId);
    if (!member) {
      return refuse(
        `Only an owner or admin of workspace "${purchase.workspaceId}" can decide this purchase.`,
      );
    }
    const ws = await directory.workspace(purchase.workspaceId);
    return { ok: true, identity: { workspaceId: ws.id, workspaceName: ws.name, member } };
  }

  /**
   * The flow may have moved on (paid, completed) while a button's answer was being shown: the
   * message for the purchase's current status when it differs from `shown`, else null.
   */
  async newerMessage(shown: Purchase): Promise<Answer | null> {
    const purchases = this.deps.purchases;
    if (!purchases) return null;
    const current = await purchases.get(
      shown.id,
      shown.workspaceId ? { workspaceId: shown.workspaceId } : {},
    );
    return current.status === shown.status ? null : this.message(current);
  }

  /** The content of a purchase's approval message: buttons while pending, the outcome after. */
  async message(purchase: Purchase): Promise<Answer> {
    const ws = purchase.workspaceId;
    const name = async (id: string | null | undefined) => {
      if (!id) return undefined;
      const member = ws ? await this.deps.directory.member(ws, id).catch(() => null) : null;
      return member?.name ?? id;
    };
    const { what, amount } = describePurchase(purchase);
    const requester = await name(purchase.requestedBy);
    const decider = await name(purchase.decidedBy);
    const automatic = purchase.automatic;
    const now = this.deps.clock();
    const fields: Field[] = [
      { label: 'Package', value: what },
      { label: 'Requested by', value: requester ?? (automatic ? 'auto top-up' : 'API') },
    ];
    let text: string;
    let tone: Answer['tone'] = 'info';
    switch (purchase.status) {
      case 'pending_approval': {
        const deadline = purchase.approvalDeadline;
        text = `Purchase request: ${what}. An owner or admin must approve it${deadline ? ` by ${dayTime(deadline, now)} UTC` : ''}.`;
        tone = 'warning';
        break;
      }
      case 'approved':
        text = `Approved${decider ? ` by ${decider}` : automatic ? ' automatically (auto top-up budget)' : ''}: ${what}. Processing the payment…`;
        break;
      case 'awaiting_payment':
        text = `Payment needed: ${what}. The card on file could not be charged without the customer${purchase.reason ? `: ${purchase.reason}` : ''}. Nothing was charged yet; the credits are added once Stripe confirms the payment.`;
        tone = 'warning';
        break;
      case 'paid':
        text = `Paid: ${what}. Adding the credits…`;
        break;
      case 'completed':
        text = `Done: ${what}. ${credits(amount)} were added to the balance${decider ? ` (approved by ${decider})` : ''}.`;
        tone = 'good';
        break;
      case 'rejected':
        text = `Rejected${decider ? ` by ${decider}` : ''}: ${what}. Nothing was charged.`;
        tone = 'danger';
        break;
      case 'expired':
        text = `Expired: no owner or admin approved ${what} in time. Nothing was charged.`;
        tone = 'danger';
        break;
      default:
        text = `Failed: ${what}${purchase.reason ? ` (${purchase.reason})` : ''}. No credits were granted.`;
        tone = 'danger';
    }
    const blocks: Block[] = [
      { type: 'header', text: 'Credit purchase' },
      { type: 'section', text },
      { type: 'fields', fields },
    ];
    if (purchase.status === 'pending_approval') {
      blocks.push({
        type: 'buttons',
        buttons: [
          { actionId: APPROVE_ACTION, label: 'Approve', value: purchase.id, style: 'primary' },
          { actionId: REJECT_ACTION, label: 'Reject', value: purchase.id, style: 'danger' },
        ],
      });
      blocks.push({ type: 'context', text: `Only owners and admins can approve. Purchase ${purchase.id}.` });
    } else {
      blocks.push({
        type: 'context',
        text: `Purchase ${purchase.id} · ${purchase.status.replace('_', ' ')}`,
      });
    }
    return { intent: 'approval', text, blocks, tone };
  }
}

/** "Small — 1,000 credits for $50.00": the terms recorded with the purchase. */
export function describePurchase(purchase: Purchase): { what: string; amount: number } {
  const what = `${purchase.packageName} — ${credits(purchase.credits)} for ${money(purchase.price, purchase.currency)}`;
  return { what, amount: purchase.credits };
}
