import type { AutoTopUpLimits, AutoTopUpPolicy } from '../../application/auto-top-up.js';
import type { BudgetRaise, BudgetSubject } from '../../application/budget-raises.js';
import type { Purchase, Purchases } from '../../application/purchases.js';
import type { RefundFlows } from '../../application/refunds.js';
import type { UsageChartBy } from '../../application/usage-chart.js';
import type { WebAccess } from '../../application/web-access.js';
import type { Thresholds } from '../../ledger/alerts.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Reports, TransactionFilter, TransactionPage, Usage, UsageQuery } from '../../ledger/reports.js';
import type { ApiKeyInfo } from '../../ledger/stores/api-keys.js';
import type { AuditEntry } from '../../ledger/stores/audit-log.js';
import type { Balance, Lot } from '../../ledger/types.js';
import type { ChatLink, Member, Workspace, WorkspaceDirectory } from '../../ledger/workspaces.js';
import type { Burn } from './burn.js';
import type { Identity } from './identity.js';
import type { Answer, AnswerFile, ChatPlatform } from './types.js';

/** What the core is built from (runtime/ hands it the process's services). */
export interface CoreDeps {
  ledger: Ledger;
  reports: Reports;
  directory: WorkspaceDirectory;
  catalog: Catalog;
  /** The purchase flow (Temporal); without it, `buy` and approvals say the worker is needed. */
  purchases?: Purchases;
  /** Bounds of auto top-up policies (AUTO_TOP_UP_MAX_*); default the application's. */
  autoTopUpLimits?: AutoTopUpLimits;
  /** How long a workspace's 30-day burn rate is reused (it moves slowly); default 60 s. */
  burnCacheMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** Starts refund flows at once (else the maintenance schedule does, within a minute). */
  refundFlows?: RefundFlows;
  /** Sign-in links to the web console (`/credits web`). */
  webAccess?: WebAccess;
  /** Where sign-in links point (PUBLIC_URL); default http://127.0.0.1:3000. */
  publicUrl?: string;
}

/**
 * Reads of the asking member's workspace, already confined to it: an answer cannot read another
 * workspace because it never names one.
 */
export interface WorkspaceReads {
  workspace(): Promise<Workspace>;
  balance(): Promise<Balance>;
  lots(): Promise<Lot[]>;
  transactions(filter: TransactionFilter): Promise<TransactionPage>;
  /** The ledger's own usage query (what `GET /v1/workspaces/{ws}/usage` answers). */
  usage(query: UsageQuery): Promise<Usage>;
  members(): Promise<Member[]>;
  member(id: string): Promise<Member | null>;
  chatLinks(): Promise<ChatLink[]>;
  auditLog(limit: number): Promise<AuditEntry[]>;
}

/** The purchase flow as the asker uses it (requests name the asker; decisions are taken as the asker). */
export interface PurchaseActions {
  request(packageKey: string): Promise<Purchase>;
  pending(): Promise<Purchase[]>;
  decide(purchaseId: string, decision: 'approve' | 'reject'): Promise<{ ok: boolean; answer: Answer }>;
}

/** A budget with what its current period used, as the budget API answers it. */
export interface BudgetView {
  id: string;
  subject: BudgetSubject;
  period: string;
  limit: number;
  perDebitMax: number | null;
  used: number;
  remaining: number;
  resetsAt: string;
}

/** The asker's workspace's budgets, through the application's use cases, as the asker (audited). */
export interface BudgetActions {
  list(): Promise<BudgetView[]>;
  set(input: {
    subject: BudgetSubject;
    period: 'day' | 'week' | 'month' | 'cycle';
    limit: number;
  }): Promise<BudgetView>;
  requestRaise(budgetId: string, amount: number, reason: string): Promise<BudgetRaise>;
  decideRaise(raiseId: string, decision: 'approve' | 'reject'): Promise<{ ok: boolean; answer: Answer }>;
}

/** Alert thresholds of the asker's workspace; a change is audited as the asker. */
export interface AlertThresholds {
  get(): Promise<Thresholds>;
  set(change: Partial<Thresholds>): Promise<Thresholds>;
}

/**
 * What an answer may use: who asks, when, the catalog and narrow capabilities on the asker's
 * workspace. Built per request by the core after the asker is identified; answers never see the
 * core or its stores. Each answer takes a `Pick` of this: only what it needs.
 */
export interface AnswerContext {
  who: Identity;
  platform: ChatPlatform | 'console';
  now: Date;
  catalog: Catalog;
  reads: WorkspaceReads;
  /** Credits used per day over the last 30 days (cached briefly). */
  burn(): Promise<Burn>;
  /** The usage chart of the workspace, or null when drawing failed (the text still goes out). */
  usageChart(by: UsageChartBy): Promise<AnswerFile | null>;
  alerts: AlertThresholds;
  /** Null when the process runs without the purchase flow (the worker). */
  purchases: PurchaseActions | null;
  /** Null where budgets are not served (no budget store or no raise flow in this process). */
  budgets: BudgetActions | null;
  /** Saves an auto top-up policy through the application's use case, as the asker. */
  autoTopUp: { save(policy: unknown): Promise<AutoTopUpPolicy> };
  /** The workspace's API keys through the application's use case, as the asker (never secrets). */
  keys: { list(): Promise<ApiKeyInfo[]> };
  /** Refunds a purchase of the asker's workspace as the asker (application/refunds.ts); null without a ledger writer. */
  refunds: {
    refund(
      purchaseId: string,
    ): Promise<{ purchase: Purchase; refund: { credits: number; amount: string; currency: string } }>;
  } | null;
  /** The asker's own single-use sign-in link to the web console; null where none is served. */
  signInLink: (() => Promise<{ url: string; expiresAt: string }>) | null;
}

/** The reads of one workspace, from the ledger's facades. */
export function workspaceReads(deps: CoreDeps, workspaceId: string): WorkspaceReads {
  const { ledger, reports, directory } = deps;
  return {
    workspace: () => directory.workspace(workspaceId),
    balance: () => ledger.balance(workspaceId),
    lots: () => ledger.lots(workspaceId),
    transactions: (filter) => reports.transactions(workspaceId, filter),
    usage: (query) => reports.usage(workspaceId, query),
    members: () => directory.members(workspaceId),
    member: (id) => directory.member(workspaceId, id),
    chatLinks: () => directory.chatLinks(workspaceId),
    auditLog: async (limit) => (await ledger.audit.list(workspaceId, { limit })).items,
  };
}
