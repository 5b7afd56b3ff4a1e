import type { SubscriptionStatus } from '../ledger/types.js';
import type { Workspace } from '../ledger/workspaces.js';

/**
 * The subscription lifecycle's entry points (implemented with Temporal in workflows/client.ts).
 * Called after a workspace change is committed: the flow re-reads the workspace from the database,
 * so nothing in the call is trusted beyond "look again".
 */
export interface LifecycleHooks {
  /** Starts the subscription flow of a new `active` or `trialing` workspace (no-op otherwise). */
  onWorkspaceCreated(workspace: Workspace): Promise<void>;
  /** Signals the flow about a plan or status change; starts it when the workspace becomes active again. */
  onWorkspaceUpdated(
    workspace: Workspace,
    patch: { plan?: string; status?: SubscriptionStatus },
  ): Promise<void>;
  /**
   * Announces a change of the chat users acting as a member (audit entry `auditId`) in the
   * workspace's linked channels; the announcement is read from the audit log, not from the call.
   */
  onMemberIdentityChanged?(workspaceId: string, auditId: string): Promise<void>;
}
