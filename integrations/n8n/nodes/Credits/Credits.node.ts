import type {
  IDataObject,
  IExecuteFunctions,
  ILoadOptionsFunctions,
  INodeExecutionData,
  INodePropertyOptions,
  INodeType,
  INodeTypeDescription,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import {
  apiErrorOf,
  creditsApiRequest,
  getCreditsCredentials,
  insufficientMessage,
  isSuccess,
  throwApiError,
  workspacePath,
} from './GenericFunctions';

type Operation = 'debit' | 'check' | 'estimate' | 'getBalance' | 'reverse' | 'hold' | 'capture' | 'release';

/** Operations that can answer `insufficient_credits` and therefore may route to the second output. */
const ROUTABLE: Operation[] = ['debit', 'hold'];

/**
 * The node has one output, or two ("Success", "Insufficient Credits") when the user chose to route
 * insufficient credits instead of failing. n8n evaluates this expression against the node's parameters.
 */
const OUTPUTS_EXPRESSION = `={{ ${[
  '["debit", "hold"].includes($parameter["operation"]) && $parameter["onInsufficientCredits"] === "route"',
  '? [{ "type": "main", "displayName": "Success" }, { "type": "main", "displayName": "Insufficient Credits" }]',
  ': [{ "type": "main" }]',
].join(' ')} }}` as const;

export class Credits implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Credits',
    name: 'credits',
    icon: { light: 'file:credits.svg', dark: 'file:credits.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"]}}',
    description: 'Debit, check, estimate, hold and reverse credits in a Credits workspace',
    defaults: {
      name: 'Credits',
    },
    inputs: [NodeConnectionTypes.Main],
    outputs: OUTPUTS_EXPRESSION,
    usableAsTool: true,
    credentials: [
      {
        name: 'creditsApi',
        required: true,
      },
    ],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        default: 'credit',
        options: [
          { name: 'Credit', value: 'credit' },
          { name: 'Hold', value: 'hold' },
        ],
      },
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'debit',
        displayOptions: { show: { resource: ['credit'] } },
        options: [
          {
            name: 'Check',
            value: 'check',
            description: 'Tell whether a debit would succeed and what would be left after, without charging',
            action: 'Check whether a debit would succeed',
          },
          {
            name: 'Debit',
            value: 'debit',
            description: 'Consume credits (a fixed amount, or an operation priced by the catalog)',
            action: 'Debit credits',
          },
          {
            name: 'Estimate',
            value: 'estimate',
            description:
              'Estimate what operations would cost (min, expected, max) and whether they are affordable',
            action: 'Estimate a cost',
          },
          {
            name: 'Get Balance',
            value: 'getBalance',
            description: 'Get the workspace balance by credit type, next expiry and renewal',
            action: 'Get the balance',
          },
          {
            name: 'Reverse',
            value: 'reverse',
            description: 'Refund a debit (fully or partly)',
            action: 'Reverse a debit',
          },
        ],
      },
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'hold',
        displayOptions: { show: { resource: ['hold'] } },
        options: [
          {
            name: 'Capture',
            value: 'capture',
            description: 'Charge up to the held amount of a hold; the rest returns to the balance',
            action: 'Capture a hold',
          },
          {
            name: 'Create',
            value: 'hold',
            description: 'Reserve credits for a step whose exact cost is known only afterwards',
            action: 'Hold credits',
          },
          {
            name: 'Release',
            value: 'release',
            description: 'Release a hold without charging anything',
            action: 'Release a hold',
          },
        ],
      },

      // ----- Debit / Check / Estimate: what is charged -----
      {
        displayName: 'Charge By',
        name: 'chargeBy',
        type: 'options',
        default: 'amount',
        displayOptions: { show: { operation: ['debit', 'check'] } },
        options: [
          { name: 'Fixed Amount', value: 'amount', description: 'A whole number of credits' },
          {
            name: 'Catalog Operation',
            value: 'operation',
            description: 'An operation (e.g. an image model) priced by the catalog',
          },
        ],
      },
      {
        displayName: 'Amount',
        name: 'amount',
        type: 'number',
        default: 1,
        required: true,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        displayOptions: { show: { operation: ['debit', 'check'], chargeBy: ['amount'] } },
        description: 'Number of credits to debit (a positive whole number)',
      },
      {
        displayName: 'Catalog Operation Name or ID',
        name: 'catalogOperation',
        type: 'options',
        typeOptions: { loadOptionsMethod: 'getCatalogOperations' },
        default: '',
        required: true,
        displayOptions: {
          show: { operation: ['debit', 'check'], chargeBy: ['operation'] },
        },
        description:
          'The operation to price, as keyed in the catalog. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
      },
      {
        displayName: 'Catalog Operation Name or ID',
        name: 'catalogOperation',
        type: 'options',
        typeOptions: { loadOptionsMethod: 'getCatalogOperations' },
        default: '',
        required: true,
        displayOptions: { show: { operation: ['estimate'] } },
        description:
          'The operation to estimate, as keyed in the catalog. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
      },
      {
        displayName: 'Quantity',
        name: 'quantity',
        type: 'number',
        default: 1,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        displayOptions: { show: { operation: ['debit', 'check'], chargeBy: ['operation'] } },
        description: 'How many units (images, posts, seconds, …) of the operation',
      },
      {
        displayName: 'Quantity',
        name: 'quantity',
        type: 'number',
        default: 1,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        displayOptions: { show: { operation: ['estimate'] } },
        description: 'How many units (images, posts, seconds, …) of the operation',
      },
      {
        displayName: 'Parameters (JSON)',
        name: 'params',
        type: 'json',
        default: '{}',
        displayOptions: { show: { operation: ['debit', 'check'], chargeBy: ['operation'] } },
        description: 'Parameters the catalog uses to price the operation, e.g. {"model": "flux-2-pro"}',
      },
      {
        displayName: 'Parameters (JSON)',
        name: 'params',
        type: 'json',
        default: '{}',
        displayOptions: { show: { operation: ['estimate'] } },
        description: 'Parameters the catalog uses to price the operation, e.g. {"model": "flux-2-pro"}',
      },

      // ----- Hold / Capture / Release / Reverse -----
      {
        displayName: 'Amount',
        name: 'amount',
        type: 'number',
        default: 1,
        required: true,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        displayOptions: { show: { operation: ['hold'] } },
        description: 'Number of credits to hold (reserve)',
      },
      {
        displayName: 'Timeout (Seconds)',
        name: 'timeoutSeconds',
        type: 'number',
        default: 900,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        displayOptions: { show: { operation: ['hold'] } },
        description: 'After this long an uncaptured hold releases itself',
      },
      {
        displayName: 'Hold ID',
        name: 'holdId',
        type: 'string',
        default: '',
        required: true,
        placeholder: '={{ $json.id }}',
        displayOptions: { show: { operation: ['capture', 'release'] } },
        description: 'ID of the hold, as returned by the Hold operation',
      },
      {
        displayName: 'Amount',
        name: 'amount',
        type: 'number',
        default: 1,
        required: true,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        displayOptions: { show: { operation: ['capture'] } },
        description: 'Credits to charge, at most the held amount; the rest returns to the balance',
      },
      {
        displayName: 'Transaction ID',
        name: 'transactionId',
        type: 'string',
        default: '',
        required: true,
        placeholder: '={{ $json.transaction.id }}',
        displayOptions: { show: { operation: ['reverse'] } },
        description: 'ID of the debit transaction to reverse',
      },

      // ----- Who, why, idempotency -----
      {
        displayName: 'Actor',
        name: 'actor',
        type: 'string',
        default: '',
        placeholder: '={{ $json.userId }}',
        displayOptions: { show: { operation: ['debit'] } },
        description:
          'Who is consuming the credits (recorded in the journal). Usually an expression on the item. Empty: "n8n:workflow:&lt;workflow ID&gt;".',
      },
      {
        displayName: 'Idempotency Key',
        name: 'idempotencyKey',
        type: 'string',
        default: '',
        placeholder: '={{ $json.orderId }}',
        displayOptions: { show: { operation: ['debit', 'hold', 'capture', 'reverse'] } },
        description:
          'A request with a key already used returns the first result and charges nothing. Empty: derived from the execution ID, this node and the item index, so retries within one execution never charge twice. Set it from your data (e.g. an order ID) so that re-running the workflow does not charge again.',
      },
      {
        displayName: 'On Insufficient Credits',
        name: 'onInsufficientCredits',
        type: 'options',
        default: 'fail',
        displayOptions: { show: { operation: ROUTABLE } },
        options: [
          {
            name: 'Fail the Item',
            value: 'fail',
            description: 'Stop with an error saying how many credits were needed and available',
          },
          {
            name: 'Route to "Insufficient Credits" Output',
            value: 'route',
            description: 'Send the item to a second output so the workflow can branch',
          },
        ],
      },
      {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add option',
        default: {},
        displayOptions: { show: { operation: ['debit'] } },
        options: [
          {
            displayName: 'Metadata (JSON)',
            name: 'metadata',
            type: 'json',
            default: '{}',
            description:
              'Object stored with the journal entry, e.g. {"orderId": "A-1001"}. Keep it the same on retries: a reused idempotency key with a different body is refused.',
          },
        ],
      },
      {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add option',
        default: {},
        displayOptions: { show: { operation: ['reverse'] } },
        options: [
          {
            displayName: 'Amount',
            name: 'amount',
            type: 'number',
            default: 1,
            typeOptions: { minValue: 1, numberPrecision: 0 },
            description: 'Refund only part of the debit. Empty: the whole debit.',
          },
          {
            displayName: 'Reason',
            name: 'reason',
            type: 'string',
            default: '',
            description: 'Why the debit is reversed (recorded in the journal)',
          },
        ],
      },
    ],
  };

  methods = {
    loadOptions: {
      async getCatalogOperations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const response = await creditsApiRequest(this, 'GET', '/v1/catalog');
        if (!isSuccess(response)) return [];
        const operations = (response.body.operations as IDataObject[] | undefined) ?? [];
        return operations.map((op) => ({
          name: `${String(op.name ?? op.key)} (${String(op.key)})`,
          value: String(op.key),
        }));
      },
    },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const operation = this.getNodeParameter('operation', 0) as Operation;
    const routeInsufficient =
      ROUTABLE.includes(operation) && this.getNodeParameter('onInsufficientCredits', 0, 'fail') === 'route';
    const success: INodeExecutionData[] = [];
    const insufficient: INodeExecutionData[] = [];

    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      try {
        const result = await runOperation(this, operation, itemIndex);
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
}

type OperationResult =
  | { kind: 'ok'; json: IDataObject }
  | { kind: 'insufficient'; message: string; details: IDataObject };

async function runOperation(
  ctx: IExecuteFunctions,
  operation: Operation,
  itemIndex: number,
): Promise<OperationResult> {
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

  switch (operation) {
    case 'getBalance': {
      const response = await creditsApiRequest(ctx, 'GET', workspacePath(credentials, '/balance'));
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return { kind: 'ok', json: response.body };
    }

    case 'estimate': {
      const body = { items: [catalogItem(ctx, itemIndex)] };
      const response = await creditsApiRequest(ctx, 'POST', workspacePath(credentials, '/estimates'), body);
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return { kind: 'ok', json: response.body };
    }

    case 'debit': {
      const body: IDataObject = {
        ...chargeSpec(ctx, itemIndex),
        idempotencyKey: idempotencyKey(ctx, itemIndex, 'debit'),
        actor: actorOf(ctx, itemIndex),
        source: 'n8n',
      };
      const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
      if (options.metadata !== undefined) {
        body.metadata = jsonObjectParam(ctx, options.metadata, 'Metadata (JSON)', itemIndex);
      }
      const response = await creditsApiRequest(ctx, 'POST', workspacePath(credentials, '/debits'), body);
      if (response.statusCode === 402) return insufficientResult(response);
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return {
        kind: 'ok',
        json: { ...response.body, idempotencyKey: body.idempotencyKey, replayed: response.replayed },
      };
    }

    case 'check':
      return { kind: 'ok', json: await check(ctx, credentials, itemIndex) };

    case 'reverse': {
      const transactionId = requiredString(ctx, 'transactionId', 'Transaction ID', itemIndex);
      const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
      const body: IDataObject = { idempotencyKey: idempotencyKey(ctx, itemIndex, 'reverse'), source: 'n8n' };
      if (options.amount !== undefined && options.amount !== null && options.amount !== '') {
        body.amount = positiveInteger(ctx, options.amount, 'Amount', itemIndex);
      }
      if (options.reason) body.reason = String(options.reason);
      const response = await creditsApiRequest(
        ctx,
        'POST',
        `/v1/transactions/${encodeURIComponent(transactionId)}/reverse`,
        body,
      );
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return { kind: 'ok', json: { ...response.body, replayed: response.replayed } };
    }

    case 'hold': {
      const body: IDataObject = {
        amount: positiveInteger(ctx, ctx.getNodeParameter('amount', itemIndex), 'Amount', itemIndex),
        timeoutSeconds: positiveInteger(
          ctx,
          ctx.getNodeParameter('timeoutSeconds', itemIndex, 900),
          'Timeout (Seconds)',
          itemIndex,
        ),
        idempotencyKey: idempotencyKey(ctx, itemIndex, 'hold'),
        source: 'n8n',
      };
      const response = await creditsApiRequest(ctx, 'POST', workspacePath(credentials, '/holds'), body);
      if (response.statusCode === 402) return insufficientResult(response);
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return { kind: 'ok', json: response.body };
    }

    case 'capture': {
      const holdId = requiredString(ctx, 'holdId', 'Hold ID', itemIndex);
      const body: IDataObject = {
        amount: positiveInteger(ctx, ctx.getNodeParameter('amount', itemIndex), 'Amount', itemIndex),
        idempotencyKey: idempotencyKey(ctx, itemIndex, 'capture'),
        source: 'n8n',
      };
      const response = await creditsApiRequest(
        ctx,
        'POST',
        `/v1/holds/${encodeURIComponent(holdId)}/capture`,
        body,
      );
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return { kind: 'ok', json: response.body };
    }

    case 'release': {
      const holdId = requiredString(ctx, 'holdId', 'Hold ID', itemIndex);
      const response = await creditsApiRequest(
        ctx,
        'POST',
        `/v1/holds/${encodeURIComponent(holdId)}/release`,
        {},
      );
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      return { kind: 'ok', json: response.body };
    }

    default:
      throw new NodeOperationError(ctx.getNode(), `"Operation" has an unknown value: ${String(operation)}`, {
        itemIndex,
      });
  }
}

/**
 * Check: would this debit succeed, and what would be left after? Reads the balance and, for a catalog
 * operation, the estimate; nothing is charged or reserved.
 */
async function check(
  ctx: IExecuteFunctions,
  credentials: Awaited<ReturnType<typeof getCreditsCredentials>>,
  itemIndex: number,
): Promise<IDataObject> {
  const spec = chargeSpec(ctx, itemIndex);
  const balanceResponse = await creditsApiRequest(ctx, 'GET', workspacePath(credentials, '/balance'));
  if (!isSuccess(balanceResponse)) throwApiError(ctx, balanceResponse, itemIndex);
  const balance = balanceResponse.body;
  const available = availableOf(balance);

  let required: number;
  let estimate: IDataObject | undefined;
  if (spec.amount !== undefined) {
    required = spec.amount as number;
  } else {
    const item: IDataObject = { operation: spec.operation, quantity: spec.quantity };
    if (spec.params !== undefined) item.params = spec.params;
    const response = await creditsApiRequest(ctx, 'POST', workspacePath(credentials, '/estimates'), {
      items: [item],
    });
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    estimate = response.body;
    required = Number(estimate.expected ?? estimate.max ?? 0);
  }

  const result: IDataObject = {
    wouldSucceed: available >= required,
    required,
    available,
    remainingAfter: available >= required ? available - required : available,
    shortfall: available >= required ? 0 : required - available,
  };
  if (estimate) {
    result.min = estimate.min;
    result.expected = estimate.expected;
    result.max = estimate.max;
    result.wouldSucceedAtMax = available >= Number(estimate.max ?? required);
    result.estimate = estimate;
  }
  result.balance = balance;
  return result;
}

/** Spendable credits: the API's `total` already leaves out what active holds reserve. */
function availableOf(balance: IDataObject): number {
  return Number(balance.total ?? 0);
}

function insufficientResult(response: Awaited<ReturnType<typeof creditsApiRequest>>): OperationResult {
  const error = apiErrorOf(response);
  const details = error.details ?? {};
  return {
    kind: 'insufficient',
    message: insufficientMessage(error),
    details: {
      code: error.code,
      message: insufficientMessage(error),
      required: details.required,
      available: details.available,
    },
  };
}

/** `{ amount }` or `{ operation, quantity, params }` from the Charge By parameters. */
function chargeSpec(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
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

function catalogItem(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
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
  const item: IDataObject = { operation, quantity };
  const params = jsonObjectParam(
    ctx,
    ctx.getNodeParameter('params', itemIndex, '{}'),
    'Parameters (JSON)',
    itemIndex,
  );
  if (Object.keys(params).length > 0) item.params = params;
  return item;
}

function idempotencyKey(ctx: IExecuteFunctions, itemIndex: number, operation: Operation): string {
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

function actorOf(ctx: IExecuteFunctions, itemIndex: number): string {
  const actor = ctx.getNodeParameter('actor', itemIndex, '') as unknown;
  if (actor !== undefined && actor !== null && String(actor).trim() !== '') return String(actor).trim();
  const workflow = ctx.getWorkflow();
  return `n8n:workflow:${workflow.id ?? workflow.name ?? 'unknown'}`;
}

function requiredString(
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

function positiveInteger(
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
function jsonObjectParam(
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
