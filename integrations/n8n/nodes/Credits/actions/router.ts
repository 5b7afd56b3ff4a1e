import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { type CreditsCredentials, getCreditsCredentials } from '../transport';
import { budgetOperations } from './budget';
import { ROUTABLE } from './common.description';
import { creditOperations } from './credit';
import { holdOperations } from './hold';
import { purchaseOperations } from './purchase';
import { transactionOperations } from './transaction';
import type { NodeOperation, Operation, Resource } from './types';
import { usageOperations } from './usage';

const RESOURCES = new Map<Resource, Partial<Record<Operation, NodeOperation>>>([
  ['budget', budgetOperations],
  ['credit', creditOperations],
  ['hold', holdOperations],
  ['purchase', purchaseOperations],
  ['transaction', transactionOperations],
  ['usage', usageOperations],
]);

/** Every `<resource>.<operation>` the node offers (application/policies.ts maps each to its API call). */
export const NODE_OPERATIONS: string[] = [...RESOURCES].flatMap(([resource, operations]) =>
  Object.keys(operations).map((operation) => `${resource}.${operation}`),
);

/** Runs the chosen resource's operation once per item; 402s go to the second output when asked to. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const resource = this.getNodeParameter('resource', 0, 'credit') as Resource;
  const operation = this.getNodeParameter('operation', 0) as Operation;
  const routeInsufficient =
    ROUTABLE.includes(operation) && this.getNodeParameter('onInsufficientCredits', 0, 'fail') === 'route';
  const operations = RESOURCES.get(resource);
  const nodeOperation =
    operations && Object.keys(operations).includes(operation) ? operations[operation] : undefined;
  const success: INodeExecutionData[] = [];
  const insufficient: INodeExecutionData[] = [];

  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      if (!nodeOperation) {
        throw new NodeOperationError(
          this.getNode(),
          `"Operation" has an unknown value for resource "${String(resource)}": ${String(operation)}`,
          { itemIndex },
        );
      }
      const result = await nodeOperation.execute(this, itemIndex, await credentialsFor(this, itemIndex));
      if (result.kind === 'insufficient') {
        if (routeInsufficient) {
          insufficient.push({
            json: { ...items[itemIndex]!.json, insufficientCredits: result.details },
            pairedItem: { item: itemIndex },
          });
          continue;
        }
        throw new NodeOperationError(this.getNode(), result.message, {
          itemIndex,
          description: `Required ${String(result.details.required)}, available ${String(result.details.available)}. Choose "Route to Insufficient Credits Output" under "On Insufficient Credits" to branch instead of failing.`,
        });
      }
      if (result.kind === 'many') {
        for (const json of result.items) success.push({ json, pairedItem: { item: itemIndex } });
        continue;
      }
      success.push({ json: result.json, pairedItem: { item: itemIndex } });
    } catch (error) {
      if (this.continueOnFail()) {
        success.push({
          json: { ...items[itemIndex]!.json, error: (error as Error).message },
          pairedItem: { item: itemIndex },
        });
        continue;
      }
      if (error instanceof NodeApiError) {
        // Already carries the item index; the constructor hands back the same error.
        throw new NodeApiError(this.getNode(), error as unknown as JsonObject, { itemIndex });
      }
      throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
    }
  }

  return routeInsufficient ? [success, insufficient] : [success];
}

async function credentialsFor(ctx: IExecuteFunctions, itemIndex: number): Promise<CreditsCredentials> {
  const credentials = await getCreditsCredentials(ctx);
  if (!credentials.baseUrl || !credentials.workspaceId) {
    throw new NodeOperationError(
      ctx.getNode(),
      'The Credits API credential needs a Base URL and a Workspace ID',
      {
        itemIndex,
      },
    );
  }
  return credentials;
}
