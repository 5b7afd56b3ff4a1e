import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { STATUSES, type SubscriptionStatus } from '../types.js';

export interface Workspace {
  id: string;
  name: string;
  plan: string;
  status: SubscriptionStatus;
  billingAnchor: string;
  settings: Record<string, unknown>;
  createdAt: string;
  /** The Stripe customer charged for its purchases, when one is linked. */
  stripeCustomerId?: string;
}

const WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function rowToWorkspace(r: Record<string, unknown>): Workspace {
  return {
    id: r.id as string,
    name: r.name as string,
    plan: r.plan as string,
    status: r.status as SubscriptionStatus,
    billingAnchor: (r.billing_anchor as Date).toISOString(),
    settings: (r.settings as Record<string, unknown>) ?? {},
    createdAt: (r.created_at as Date).toISOString(),
    ...(r.stripe_customer_id ? { stripeCustomerId: r.stripe_customer_id as string } : {}),
  };
}

export interface WorkspacePatch {
  plan?: string;
  status?: SubscriptionStatus;
  name?: string;
  settings?: Record<string, unknown>;
  /** The Stripe customer charged for purchases (`cus_…`); null unlinks it. */
  stripeCustomerId?: string | null;
}

/** The `workspaces` table: one row per customer account, its plan, subscription status and settings. */
export class WorkspaceStore {
  constructor(
    private readonly sql: Sql,
    private readonly plans: { has(key: string): boolean; keys(): string[] },
  ) {}

  async create(input: {
    id: string;
    name: string;
    plan: string;
    status: SubscriptionStatus;
    billingAnchor?: Date | string;
  }): Promise<Workspace> {
    if (!WORKSPACE_ID.test(input.id)) {
      throw CreditsError.field(
        'id',
        'must be 1–63 lowercase letters, digits, "-" or "_", starting with a letter or digit',
      );
    }
    if (!input.name?.trim()) throw CreditsError.field('name', 'is required');
    this.checkPlan(input.plan);
    this.checkStatus(input.status);
    const anchor = input.billingAnchor ? new Date(input.billingAnchor) : new Date();
    if (Number.isNaN(anchor.getTime()))
      throw CreditsError.field('billingAnchor', 'must be an ISO-8601 date-time');
    const rows = await this.sql`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor)
      VALUES (${input.id}, ${input.name.trim()}, ${input.plan}, ${input.status}, ${anchor})
      ON CONFLICT (id) DO NOTHING RETURNING *`;
    if (rows.length === 0) {
      throw new CreditsError('conflict', `workspace ${JSON.stringify(input.id)} already exists`, {
        id: input.id,
      });
    }
    return rowToWorkspace(rows[0]!);
  }

  async get(id: string): Promise<Workspace> {
    const workspace = await this.find(id);
    if (!workspace) throw CreditsError.notFound('workspace', id);
    return workspace;
  }

  /** The workspace, or null when there is none with this id. */
  async find(id: string): Promise<Workspace | null> {
    const [row] = await this.sql`SELECT * FROM workspaces WHERE id = ${id}`;
    return row ? rowToWorkspace(row) : null;
  }

  async any(): Promise<boolean> {
    const [row] = await this.sql`SELECT EXISTS (SELECT 1 FROM workspaces) AS any`;
    return row!.any === true;
  }

  /** Ids of the workspaces whose subscription runs (active or trialing), in id order. */
  async runningIds(): Promise<string[]> {
    const rows = await this.sql`SELECT id FROM workspaces WHERE status IN ('active', 'trialing') ORDER BY id`;
    return rows.map((r) => r.id as string);
  }

  /** Ids of the active workspaces whose auto top-up policy is enabled. */
  async autoTopUpIds(): Promise<string[]> {
    const rows = await this.sql`
      SELECT id FROM workspaces
       WHERE status = 'active' AND (settings->'autoTopUp'->>'enabled')::boolean IS TRUE`;
    return rows.map((r) => r.id as string);
  }

  async list(): Promise<Workspace[]> {
    return (await this.sql`SELECT * FROM workspaces ORDER BY id`).map(rowToWorkspace);
  }

  async update(id: string, patch: WorkspacePatch): Promise<Workspace> {
    if (patch.plan !== undefined) this.checkPlan(patch.plan);
    if (patch.status !== undefined) this.checkStatus(patch.status);
    if (patch.name !== undefined && !patch.name.trim()) throw CreditsError.field('name', 'must not be empty');
    const [row] = await this.sql`
      UPDATE workspaces SET
        plan = coalesce(${patch.plan ?? null}, plan),
        status = coalesce(${patch.status ?? null}, status),
        name = coalesce(${patch.name?.trim() ?? null}, name),
        settings = settings || ${JSON.stringify(patch.settings ?? {})}::text::jsonb,
        stripe_customer_id = CASE WHEN ${patch.stripeCustomerId !== undefined} THEN ${patch.stripeCustomerId ?? null}
                                  ELSE stripe_customer_id END,
        updated_at = now()
      WHERE id = ${id} RETURNING *`;
    if (!row) throw CreditsError.notFound('workspace', id);
    return rowToWorkspace(row);
  }

  private checkPlan(plan: string): void {
    if (!this.plans.has(plan))
      throw CreditsError.field('plan', `unknown plan; known plans: ${this.plans.keys().join(', ')}`);
  }

  private checkStatus(status: string): void {
    if (!STATUSES.includes(status as SubscriptionStatus)) {
      throw CreditsError.field('status', `must be one of ${STATUSES.join(', ')}`);
    }
  }
}
