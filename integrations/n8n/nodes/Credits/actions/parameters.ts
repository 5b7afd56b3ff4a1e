import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { RequestBody } from '../transport';
import type { Operation } from './types';

/** What a debit or a check charges: a fixed amount, or a catalog operation the API prices. */
export type ChargeSpec = { amount: number } | EstimateItem;

export type EstimateItem = NonNullable<RequestBody<'createEstimate'>['items']>[number];

/** `{ amount }` or `{ operation, quantity, params }` from the Charge By parameters. */
export function chargeSpec(ctx: IExecuteFunctions, itemIndex: number): ChargeSpec {
  const chargeBy = ctx.getNodeParameter('chargeBy', itemIndex, 'amount') as string;
  if (chargeBy === 'amount') {
    return { amount: positiveInteger(ctx, ctx.getNodeParameter('amount', itemIndex), 'Amount', itemIndex) };
  }
  if (chargeBy === 'operation') return catalogItem(ctx, itemIndex);
  throw new NodeOperationError(
    ctx.getNode(),
    `"Charge By" must be "amount" or "operation", got "${chargeBy}"`,
    {
      itemIndex,
    },
  );
}

export function catalogItem(ctx: IExecuteFunctions, itemIndex: number): EstimateItem {
  const operation = requiredString(ctx, 'catalogOperation', 'Catalog Operation', itemIndex);
  const quantityValue = ctx.getNodeParameter('quantity', itemIndex, 1);
  const quantity = typeof quantityValue === 'string' ? Number(quantityValue) : (quantityValue as number);
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 1) {
    throw new NodeOperationError(
      ctx.getNode(),
      `"Quantity" must be a whole number of at least 1, got ${JSON.stringify(quantityValue)}`,
      { itemIndex },
    );
  }
  const item: EstimateItem = { operation, quantity };
  const params = jsonObjectParam(
    ctx,
    ctx.getNodeParameter('params', itemIndex, '{}'),
    'Parameters (JSON)',
    itemIndex,
  );
  // The API names any value it does not take (a nested object, say) in its 400 answer.
  if (Object.keys(params).length > 0) item.params = params as EstimateItem['params'];
  return item;
}

export function idempotencyKey(ctx: IExecuteFunctions, itemIndex: number, operation: Operation): string {
  const given = ctx.getNodeParameter('idempotencyKey', itemIndex, '') as unknown;
  if (given !== undefined && given !== null && String(given).trim() !== '') {
    const key = String(given).trim();
    if (key.length > 255) {
      throw new NodeOperationError(ctx.getNode(), '"Idempotency Key" must be at most 255 characters', {
        itemIndex,
      });
    }
    // A user key (e.g. an order ID) is scoped by operation, so that holding and capturing the same order
    // do not collide; a debit keeps the key exactly as given.
    return operation === 'debit' ? key : `${key}:${operation}`;
  }
  const executionId = ctx.getExecutionId();
  if (!executionId) {
    throw new NodeOperationError(
      ctx.getNode(),
      '"Idempotency Key" is required here: this run has no execution ID to derive one from',
      { itemIndex },
    );
  }
  const node = ctx.getNode();
  return `n8n:${executionId}:${node.id || node.name}:${itemIndex}:${operation}`;
}

export function actorOf(ctx: IExecuteFunctions, itemIndex: number): string {
  const actor = ctx.getNodeParameter('actor', itemIndex, '') as unknown;
  if (actor !== undefined && actor !== null && String(actor).trim() !== '') return String(actor).trim();
  const workflow = ctx.getWorkflow();
  return `n8n:workflow:${workflow.id ?? workflow.name ?? 'unknown'}`;
}

export function requiredString(
  ctx: IExecuteFunctions,
  name: string,
  displayName: string,
  itemIndex: number,
): string {
  const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
  if (value === undefined || value === null || String(value).trim() === '') {
    throw new NodeOperationError(ctx.getNode(), `"${displayName}" is required`, { itemIndex });
  }
  if (typeof value === 'object') {
    throw new NodeOperationError(ctx.getNode(), `"${displayName}" must be a string, got an object`, {
      itemIndex,
    });
  }
  return String(value).trim();
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

export function positiveInteger(
  ctx: IExecuteFunctions,
  value: unknown,
  displayName: string,
  itemIndex: number,
): number {
  const n = toNumber(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new NodeOperationError(
      ctx.getNode(),
      `"${displayName}" must be a positive whole number of credits, got ${JSON.stringify(value)}`,
      { itemIndex },
    );
  }
  return n;
}

/** A JSON parameter that must hold an object: accepts the object itself or its JSON text. */
export function jsonObjectParam(
  ctx: IExecuteFunctions,
  value: unknown,
  displayName: string,
  itemIndex: number,
): IDataObject {
  let parsed: unknown = value;
  if (parsed === undefined || parsed === null || parsed === '') return {};
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch (error) {
      throw new NodeOperationError(
        ctx.getNode(),
        `"${displayName}" is not valid JSON: ${(error as Error).message}`,
        { itemIndex },
      );
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new NodeOperationError(
      ctx.getNode(),
      `"${displayName}" must be a JSON object like {"key": "value"}`,
      {
        itemIndex,
      },
    );
  }
  return parsed as IDataObject;
}

/**
 * A From/To time as the API takes it (ISO-8601 in UTC). n8n's date picker gives a time without a zone:
 * that is read as UTC, the zone every Credits time is in. Empty: undefined (no bound).
 */
export function timeParam(
  ctx: IExecuteFunctions,
  value: unknown,
  displayName: string,
  itemIndex: number,
): string | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const text = String(value).trim();
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/^\d{4}-\d{2}-\d{2}T/.test(text);
  const time = new Date(zoned ? text : `${text}Z`);
  if (Number.isNaN(time.getTime())) {
    throw new NodeOperationError(
      ctx.getNode(),
      `"${displayName}" must be a date and time like 2026-12-01T00:00:00Z, got ${JSON.stringify(value)}`,
      { itemIndex },
    );
  }
  return time.toISOString();
}
