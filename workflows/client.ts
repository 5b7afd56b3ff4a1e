import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { LifecycleHooks } from '../application/lifecycle.js';
import type { SubscriptionStatus } from '../ledger/types.js';
import type { Workspace } from '../ledger/workspaces.js';
import { connectionOptions, type TemporalTarget } from './connection.js';
import type { identityChangeWorkflow } from './notify/identity-workflow.js';
import { workspaceChanged } from './subscription/definitions.js';
import type { subscriptionWorkflow } from './subscription/workflows.js';

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(target));
  return new Client({ connection, namespace: target.namespace });
}

export function subscriptionWorkflowId(workspaceId: string): string {
  return `subscription-${workspaceId}`;
}

const RUNNING: SubscriptionStatus[] = ['active', 'trialing'];

export function createLifecycleHooks(options: { client: Client; taskQueue: string }): LifecycleHooks {
  const { client, taskQueue } = options;
  const signalOrStart = async (
    workspace: Workspace,
    patch: { plan?: string; status?: SubscriptionStatus },
  ) => {
    const change = {
      ...(patch.plan ? { plan: patch.plan } : {}),
      ...(patch.status ? { status: patch.status } : {}),
    };
    if (RUNNING.includes(workspace.status)) {
      await client.workflow.signalWithStart<typeof subscriptionWorkflow, [typeof change]>(
        'subscriptionWorkflow',
        {
          workflowId: subscriptionWorkflowId(workspace.id),
          taskQueue,
          args: [{ workspaceId: workspace.id }],
          signal: workspaceChanged,
          signalArgs: [change],
        },
      );
      return;
    }
    // past_due or canceled: tell a running flow; nothing to start.
    try {
      await client.workflow.getHandle(subscriptionWorkflowId(workspace.id)).signal(workspaceChanged, change);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };
  return {
    async onWorkspaceCreated(workspace) {
      if (!RUNNING.includes(workspace.status)) return;
      await signalOrStart(workspace, { plan: workspace.plan, status: workspace.status });
    },
    async onWorkspaceUpdated(workspace, patch) {
      if (patch.plan === undefined && patch.status === undefined) return;
      await signalOrStart(workspace, patch);
    },
    async onMemberIdentityChanged(workspaceId, auditId) {
      try {
        await client.workflow.start<typeof identityChangeWorkflow>('identityChangeWorkflow', {
          workflowId: `identity-change-${auditId}`,
          taskQueue,
          args: [{ workspaceId, auditId }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}

/**
 * Starts the subscription flow of every active or trialing workspace that has none running
 * (workspaces created before the worker existed, or by the CLI). Safe to run from every replica.
 */
export async function reconcileSubscriptions(options: {
  client: Client;
  /** Which workspaces should have a running subscription flow (`WorkspaceDirectory`). */
  workspaces: { runningWorkspaceIds(): Promise<string[]> };
  taskQueue: string;
  concurrency?: number;
}): Promise<number> {
  const ids = await options.workspaces.runningWorkspaceIds();
  let next = 0;
  const run = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      await options.client.workflow.start<typeof subscriptionWorkflow>('subscriptionWorkflow', {
        workflowId: subscriptionWorkflowId(id),
        taskQueue: options.taskQueue,
        args: [{ workspaceId: id }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, ids.length) }, run));
  return ids.length;
}
