import { proxyActivities } from '@temporalio/workflow';
import type { IdentityActivities } from './identity.js';
import { notifyAll } from './workflow.js';

const { recordedIdentityChange } = proxyActivities<IdentityActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * Announces a change of the chat users acting as a member in the workspace's linked channels
 * (workflow id `identity-change-<audit id>`: started once per change). Only the audit log's
 * record is announced; the input names which one.
 */
export async function identityChangeWorkflow(input: { workspaceId: string; auditId: string }): Promise<void> {
  await notifyAll(await recordedIdentityChange(input.workspaceId, input.auditId));
}
