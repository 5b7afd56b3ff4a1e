/**
 * What the lifecycle tells people and automations. Workflows (through activities) produce these;
 * notifiers deliver them: Slack and Discord channels (bots/), a signed webhook (integrations/).
 * Every notification has a stable `id`: delivery is retried, so senders must treat a repeated id
 * as already delivered (or make the repeat harmless).
 */

import type { AlertLevel } from '../ledger/alerts.js';
import type { BudgetAlert } from '../ledger/stores/alert-outbox.js';
import type { BudgetRaise } from '../ledger/stores/budget-raises.js';
import type { Purchase } from '../ledger/stores/purchases.js';
import type { RaisableBudget } from './budget-raises.js';

export type { AlertLevel, BudgetAlert };

export interface AlertNotification {
  kind: 'alert';
  id: string;
  workspaceId: string;
  /** `recovered` when the balance rose back above thresholds that had fired; `budget.threshold`: a budget reached 80 or 100 %. */
  type: 'alert.low' | 'alert.critical' | 'alert.depleted' | 'alert.recovered' | 'budget.threshold';
  level: AlertLevel | null;
  threshold: number | null;
  balance: number;
  /** For `recovered`: the levels that re-armed. */
  recovered?: AlertLevel[];
  /** For `budget.threshold`. */
  budget?: BudgetAlert;
  occurredAt: string;
}

export interface ExpiryReminderNotification {
  kind: 'expiry_reminder';
  id: string;
  workspaceId: string;
  amount: number;
  lotType: 'subscription' | 'promotional' | 'trial' | 'purchased';
  expiresAt: string;
  occurredAt: string;
}

export interface ApprovalRequestNotification {
  kind: 'approval_request';
  id: string;
  workspaceId: string;
  purchase: Purchase;
  occurredAt: string;
}

export interface PurchaseUpdateNotification {
  kind: 'purchase_update';
  id: string;
  workspaceId: string;
  purchase: Purchase;
  occurredAt: string;
}

/**
 * A budget raise asks the approvers (`raise_request`, with buttons) or has an outcome
 * (`raise_update`, which edits the approval message): the raise and its budget as stored.
 */
export interface RaiseNotification {
  kind: 'raise_request' | 'raise_update';
  id: string;
  workspaceId: string;
  raise: BudgetRaise;
  budget: RaisableBudget;
  occurredAt: string;
}

export interface DigestNotification {
  kind: 'digest';
  id: string;
  workspaceId: string;
  /** Platform-neutral digest content, produced by the bots' conversational core. */
  digest: {
    from: string;
    to: string;
    spent: number;
    byMember: { key: string; used: number }[];
    byOperation: { key: string; used: number }[];
    expiringSoon: { amount: number; at: string; type: string }[];
    balance: number;
  };
  occurredAt: string;
}

export type Notification =
  | AlertNotification
  | ExpiryReminderNotification
  | ApprovalRequestNotification
  | PurchaseUpdateNotification
  | RaiseNotification
  | DigestNotification;

export interface Notifier {
  readonly name: string;
  send(notification: Notification): Promise<void>;
}

/** Sends to every notifier; one failing does not stop the others, and the first error is rethrown for retry. */
export class FanOutNotifier implements Notifier {
  readonly name = 'fan-out';
  constructor(private readonly notifiers: Notifier[]) {}

  async send(notification: Notification): Promise<void> {
    const results = await Promise.allSettled(this.notifiers.map((n) => n.send(notification)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
