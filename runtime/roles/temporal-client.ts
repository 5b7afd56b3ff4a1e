import type { Client } from '@temporalio/client';
import type { LifecycleHooks } from '../../application/lifecycle.js';
import type { CoreServices } from '../../application/services.js';
import { connectClient, createLifecycleHooks } from '../../workflows/client.js';
import type { TemporalTarget } from '../../workflows/connection.js';
import { TemporalPurchases } from '../../workflows/purchase/service.js';
import { TemporalRefundFlows } from '../../workflows/refund/service.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { StopStack } from '../stop-stack.js';

/** The configured cluster (TEMPORAL_ADDRESS and friends), or null. */
export function configuredTemporal(config: Config): TemporalTarget | null {
  if (!config.TEMPORAL_ADDRESS) return null;
  return {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    tlsCert: config.TEMPORAL_TLS_CERT,
    tlsKey: config.TEMPORAL_TLS_KEY,
    apiKey: config.TEMPORAL_API_KEY,
  };
}

/** The one builder of the purchase flows (the Purchases port), for the worker and every client process. */
export function temporalPurchases(
  ctx: Pick<CoreServices, 'ledger' | 'catalog' | 'directory'>,
  input: { client: Client; taskQueue: string; approvalWindowMs?: number },
): TemporalPurchases {
  return new TemporalPurchases({
    client: input.client,
    taskQueue: input.taskQueue,
    purchases: ctx.ledger.purchases,
    catalog: ctx.catalog,
    directory: ctx.directory,
    approvalWindowMs: input.approvalWindowMs,
    clock: () => ctx.ledger.now(),
    budgetRaises: ctx.ledger.budgetRaises,
  });
}

/** The purchase flows as every role starts them: the approval window comes from the settings, always. */
export function purchasesFor(ctx: AppContext, config: Config, client: Client): TemporalPurchases {
  return temporalPurchases(ctx, {
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    approvalWindowMs: config.PURCHASE_APPROVAL_WINDOW_SECONDS * 1000,
  });
}

/** Purchases and lifecycle hooks for a process that is not the worker: a client on TEMPORAL_ADDRESS, or none. */
export async function temporalClientFor(
  ctx: AppContext,
  config: Config,
  target: TemporalTarget | null,
  stops: StopStack,
): Promise<{ purchases?: TemporalPurchases; refundFlows?: TemporalRefundFlows; lifecycle?: LifecycleHooks }> {
  if (!target) return {};
  const client = await connectClient(target);
  stops.push('temporal client', () => client.connection.close());
  return {
    purchases: purchasesFor(ctx, config, client),
    refundFlows: new TemporalRefundFlows({ client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
    lifecycle: createLifecycleHooks({ client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
  };
}
