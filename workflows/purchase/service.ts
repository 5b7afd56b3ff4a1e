import { randomBytes } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';

import type { Purchase, Purchases } from '../../application/purchases.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import { CreditsError } from '../../ledger/errors.js';
import type { BudgetRaiseStore } from '../../ledger/stores/budget-raises.js';
import type { PurchaseStore, RequestOutcome } from '../../ledger/stores/purchases.js';
import type { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { TemporalRaises } from '../budget-raise/service.js';
import { sendDecision } from './decision-update.js';
import { approvePurchase, paymentSettled, rejectPurchase } from './definitions.js';
import type { PurchaseInput } from './types.js';
import type { purchaseWorkflow } from './workflows.js';

export const DEFAULT_APPROVAL_WINDOW_MS = 48 * 3600 * 1000;

export interface PurchaseRequest {
  package: string;
  requestedBy?: string | null;
  /** api, slack, discord, n8n, cli, auto_top_up … */
  source: string;
  /** Approved by policy without asking anyone (auto top-up within budget). */
  automatic?: boolean;
  /** The same key answers the first purchase again (same package and requester), else 409. */
  idempotencyKey?: string;
}

/** Pending purchase requests a workspace may have at once, unless configured (PURCHASE_PENDING_LIMIT). */
export const DEFAULT_PENDING_LIMIT = 10;

export interface TemporalPurchasesOptions {
  client: Client;
  taskQueue: string;
  /** The purchases table (`ledger.purchases`). */
  purchases: PurchaseStore;
  catalog: Catalog;
  directory: WorkspaceDirectory;
  /** Default 48 h. */
  approvalWindowMs?: number;
  /** Pending requests per workspace at most (default DEFAULT_PENDING_LIMIT); one per package always. */
  pendingLimit?: number;
  clock?: () => Date;
  /** The budget_raises table: with it, `raises` runs budget raises on the same client and window. */
  budgetRaises?: BudgetRaiseStore;
}

/**
 * The purchase port on Temporal: starts and drives purchase workflows, one per purchase (workflow
 * id = purchase id); the API, the chat buttons and the auto top-up all go through here. Refuses up front what must not start: unknown package, unknown
 * workspace, no active paid subscription. Approvals and rejections are Temporal updates checked
 * against the workspace's owners and admins.
 */
export class TemporalPurchases implements Purchases {
  private readonly approvalWindowMs: number;
  private readonly clock: () => Date;
  private readonly store: PurchaseStore;
  readonly raises?: TemporalRaises;

  constructor(private readonly options: TemporalPurchasesOptions) {
    this.store = options.purchases;
    this.approvalWindowMs = options.approvalWindowMs ?? DEFAULT_APPROVAL_WINDOW_MS;
    this.clock = options.clock ?? (() => new Date());
    if (options.budgetRaises) {
      this.raises = new TemporalRaises({
        client: options.client,
        taskQueue: options.taskQueue,
        store: options.budgetRaises,
        directory: options.directory,
        approvalWindowMs: this.approvalWindowMs,
        clock: this.clock,
      });
    }
  }

  /** Starts a purchase; resolves to `null` only for an auto top-up when one is already in flight. */
  async request(workspaceId: string, req: PurchaseRequest): Promise<Purchase & { replayed?: true }> {
    const view = await this.tryRequest(workspaceId, req);
    if (!view) {
      throw new CreditsError('conflict', `an automatic top-up is already in progress for ${workspaceId}`, {
        workspaceId,
      });
    }
    return view;
  }

  async tryRequest(
    workspaceId: string,
    req: PurchaseRequest,
  ): Promise<(Purchase & { replayed?: true }) | null> {
    const { catalog, directory } = this.options;
    const pkg = catalog.packages.find((p) => p.key === req.package);
    if (!pkg) {
      const known = catalog.packages.map((p) => p.key).join(', ') || 'none';
      throw CreditsError.field(
        'package',
        `unknown package ${JSON.stringify(req.package)}; known packages: ${known}`,
      );
    }
    const ws = await directory.workspace(workspaceId);
    const plan = catalog.plans.find((p) => p.key === ws.plan);
    if (!plan?.paid || plan.kind !== 'subscription' || ws.status !== 'active') {
      const why =
        !plan?.paid || plan.kind !== 'subscription'
          ? `it is on the ${plan?.name ?? ws.plan} plan, which is not a paid subscription`
          : `its subscription is ${ws.status.replace('_', ' ')}`;
      throw new CreditsError(
        'conflict',
        `${workspaceId} cannot buy credit packages: ${why}. Only a workspace with an active paid subscription can buy packages.`,
        { workspaceId, reason: 'no_active_paid_subscription', plan: ws.plan, status: ws.status },
      );
    }
    const now = this.clock();
    const id = `purchase-${workspaceId}-${randomBytes(5).toString('hex')}`;
    const automatic = req.automatic === true;
    const view: Purchase = {
      id,
      workspaceId,
      package: pkg.key,
      packageName: pkg.name,
      credits: pkg.credits,
      price: pkg.price,
      currency: catalog.currency,
      status: automatic ? 'approved' : 'pending_approval',
      requestedBy: req.requestedBy ?? null,
      source: req.source,
      decidedBy: automatic ? 'policy:auto-top-up' : null,
      reason: null,
      createdAt: now.toISOString(),
      approvalDeadline: automatic ? null : new Date(now.getTime() + this.approvalWindowMs).toISOString(),
      automatic,
    };
    if (req.source === 'auto_top_up') {
      // The auto top-up has its own rule: one in flight per workspace (a unique index).
      if (!(await this.store.insert(view, pkg.validityDays))) return null;
    } else {
      const placed = await this.store.insertRequest(view, pkg.validityDays, {
        requestKey: req.idempotencyKey ?? null,
        pendingLimit: this.options.pendingLimit ?? DEFAULT_PENDING_LIMIT,
      });
      if (placed.outcome !== 'inserted') return refused(placed, req);
    }
    // Only the id: the workflow reads the terms from the row just written and from the catalog.
    const input: PurchaseInput = { purchaseId: id };
    try {
      await this.options.client.workflow.start<typeof purchaseWorkflow>('purchaseWorkflow', {
        workflowId: id,
        taskQueue: this.options.taskQueue,
        args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        await this.store.markFailed(id, `could not start: ${(err as Error).message}`);
        throw new CreditsError(
          'unavailable',
          `the purchase flow could not be started: ${(err as Error).message}`,
          { id },
        );
      }
    }
    return view;
  }

  async pending(workspaceId: string): Promise<Purchase[]> {
    return (await this.store.pending(workspaceId)).map(({ paymentId: _p, ...view }) => view);
  }

  /** The purchase as clients see it (the payment reference stays inside). */
  async get(id: string, scope: { workspaceId?: string } = {}): Promise<Purchase & { lotId: string | null }> {
    const p = await this.store.get(id);
    if (!p || (scope.workspaceId && p.workspaceId !== scope.workspaceId))
      throw CreditsError.notFound('purchase', id);
    const { paymentId: _p, ...view } = p;
    return view;
  }

  async approve(id: string, input: { by: string }, scope: { workspaceId?: string } = {}): Promise<Purchase> {
    await this.decide(id, input, true, scope);
    return this.get(id, scope);
  }

  async reject(
    id: string,
    input: { by: string; reason?: string; channel?: string },
    scope: { workspaceId?: string } = {},
  ): Promise<Purchase> {
    await this.decide(id, input, false, scope);
    return this.get(id, scope);
  }

  async paymentSettled(id: string): Promise<void> {
    try {
      await this.options.client.workflow.getHandle(id).signal(paymentSettled);
    } catch (err) {
      // Finished (paid, failed, expired): the payments table keeps what the provider said.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  private async decide(
    id: string,
    input: { by: string; reason?: string; channel?: string },
    approved: boolean,
    scope: { workspaceId?: string },
  ): Promise<Purchase> {
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
        `${input.by} is not an owner or admin of ${current.workspaceId}; only owners and admins can ${approved ? 'approve' : 'reject'} purchases`,
        { by: input.by, role: member?.role ?? null },
      );
    }
    if (current.status !== 'pending_approval') throw notPending(current);
    const ticket = await this.store.recordDecision({
      purchaseId: id,
      by: member.id,
      approved,
      channel: input.channel,
    });
    const handle = this.options.client.workflow.getHandle(id);
    return sendDecision(
      () =>
        handle.executeUpdate(approved ? approvePurchase : rejectPurchase, {
          args: [{ by: member.id, ticket, ...(input.reason ? { reason: input.reason } : {}) }],
        }),
      input.by,
      async () => notPending(await this.get(id)),
    );
  }
}

function notPending(p: Purchase): CreditsError {
  return new CreditsError(
    'conflict',
    `purchase ${p.id} is ${p.status.replace('_', ' ')}; only a pending purchase can be approved or rejected`,
    {
      id: p.id,
      status: p.status,
    },
  );
}

/** A request the workspace's request rules did not place: the first purchase again, or a 409 saying why. */
function refused(
  placed: Exclude<RequestOutcome, { outcome: 'inserted' }>,
  req: PurchaseRequest,
): Purchase & { replayed: true } {
  if (placed.outcome === 'pending_limit') {
    throw new CreditsError(
      'conflict',
      `this workspace already has ${placed.pending} purchases waiting for approval; approve or reject some first`,
      { reason: 'too_many_pending_purchases', pending: placed.pending },
    );
  }
  const { paymentId: _p, ...existing } = placed.existing;
  if (placed.outcome === 'replay') {
    if (existing.package !== req.package || existing.requestedBy !== (req.requestedBy ?? null)) {
      throw new CreditsError(
        'conflict',
        'this idempotency key was used for another purchase request; use a new key for a new request',
        { reason: 'idempotency_key_reused', id: existing.id },
      );
    }
    return { ...existing, replayed: true };
  }
  throw new CreditsError(
    'conflict',
    `a purchase of ${existing.packageName} is already waiting for approval (${existing.id}); approve or reject it first`,
    { reason: 'purchase_pending', id: existing.id, package: existing.package },
  );
}
