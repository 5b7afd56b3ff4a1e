/**
 * The Credits node's execute() against the real HTTP API on a real PostgreSQL (no mocked HTTP).
 * Each test uses its own workspace; parameters that would be n8n expressions are functions of the item.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreditsApi } from '../credentials/CreditsApi.credentials';
import { Credits } from '../nodes/Credits/Credits.node';
import { startTestApi, type TestApi } from './support/api';
import {
  type ContextOptions,
  createExecuteContext,
  type ParamValue,
  runNode,
  testCredential,
} from './support/n8n-context';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.close();
});

const node = new Credits();
const credentialType = new CreditsApi();

interface Ws {
  workspaceId: string;
  apiKey: string;
  credentials: { baseUrl: string; apiKey: string; workspaceId: string };
  run(
    parameters: Record<string, ParamValue>,
    options?: Partial<ContextOptions>,
  ): Promise<INodeExecutionData[][]>;
  balance(): Promise<number>;
  journal(): Promise<IDataObject[]>;
}

async function workspace(credits: number): Promise<Ws> {
  const { workspaceId, apiKey } = await api.workspace(credits);
  const credentials = { baseUrl: `${api.url}/`, apiKey, workspaceId };
  return {
    workspaceId,
    apiKey,
    credentials,
    run: (parameters, options = {}) =>
      runNode({
        nodeType: node,
        credentialType,
        credentials,
        parameters,
        executionId: '1001',
        ...options,
      }),
    async balance() {
      const res = await api.operator<{ total: number }>('GET', `/v1/workspaces/${workspaceId}/balance`);
      return res.body.total;
    },
    async journal() {
      const res = await api.operator<{ items: IDataObject[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/transactions?kind=debit`,
      );
      return res.body.items;
    },
  };
}

const items = (...jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json }));

describe('credential', () => {
  it('test request succeeds with a valid key and fails with a wrong one', async () => {
    const ws = await workspace(10);
    expect((await testCredential(credentialType, ws.credentials)).statusCode).toBe(200);
    const bad = await testCredential(credentialType, { ...ws.credentials, apiKey: 'nope' });
    expect(bad.statusCode).toBe(401);
  });
});

describe('catalog operations list (loadOptions)', () => {
  it('lists the catalog operations for the Catalog Operation dropdown', async () => {
    const ws = await workspace(0);
    const ctx = createExecuteContext({
      nodeType: node,
      credentialType,
      credentials: ws.credentials,
      parameters: {},
    });
    const options = await node.methods.loadOptions.getCatalogOperations.call(ctx as never);
    expect(options).toContainEqual({ name: 'Image generation (image)', value: 'image' });
  });
});

describe('Get Balance / Estimate / Check', () => {
  it('gets the balance', async () => {
    const ws = await workspace(500);
    const [out] = await ws.run({ resource: 'credit', operation: 'getBalance' });
    expect(out).toHaveLength(1);
    expect(out![0]!.json).toMatchObject({ workspaceId: ws.workspaceId, total: await ws.balance() });
    expect(out![0]!.json.byType).toMatchObject({ promotional: 500 });
    expect(out![0]!.pairedItem).toEqual({ item: 0 });
  });

  it('estimates a catalog operation', async () => {
    const ws = await workspace(500);
    const [out] = await ws.run({
      operation: 'estimate',
      catalogOperation: 'image',
      quantity: 3,
      params: '{"model": "flux-2-pro"}',
    });
    expect(out![0]!.json).toMatchObject({
      min: 360,
      expected: 360,
      max: 360,
      affordable: expect.any(Boolean),
    });
  });

  it('checks an amount and a catalog operation without charging anything', async () => {
    const ws = await workspace(300);
    const before = await ws.balance();
    const [out] = await ws.run(
      { operation: 'check', chargeBy: 'amount', amount: ({ json }) => json.cost },
      { items: items({ cost: 100 }, { cost: before + 1 }) },
    );
    expect(out![0]!.json).toMatchObject({
      wouldSucceed: true,
      required: 100,
      available: before,
      remainingAfter: before - 100,
    });
    expect(out![1]!.json).toMatchObject({ wouldSucceed: false, required: before + 1, shortfall: 1 });

    const [byOp] = await ws.run({
      operation: 'check',
      chargeBy: 'operation',
      catalogOperation: 'image',
      quantity: 2,
      params: { model: 'flux-2-pro' },
    });
    expect(byOp![0]!.json).toMatchObject({
      wouldSucceed: before >= 240,
      required: 240,
      remainingAfter: before - 240,
    });
    expect(await ws.balance()).toBe(before);
  });

  it('answers a Check with one request: /estimates for a catalog operation, /balance for an amount', async () => {
    const ws = await workspace(300);
    const before = await ws.balance();
    const requests: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return realFetch(input, init);
    });
    try {
      const [byOp] = await ws.run({
        operation: 'check',
        chargeBy: 'operation',
        catalogOperation: 'image',
        quantity: 3,
        params: { model: 'flux-2-pro' },
      });
      expect(requests).toEqual([`POST /v1/workspaces/${ws.workspaceId}/estimates`]);
      expect(byOp![0]!.json).toMatchObject({
        wouldSucceed: before >= 360,
        wouldSucceedAtMax: before >= 360,
        required: 360,
        available: before,
        balance: { total: before },
        estimate: { expected: 360, balance: before },
      });
      requests.length = 0;
      const [byAmount] = await ws.run({ operation: 'check', chargeBy: 'amount', amount: before + 1 });
      expect(requests).toEqual([`GET /v1/workspaces/${ws.workspaceId}/balance`]);
      expect(byAmount![0]!.json).toMatchObject({
        wouldSucceed: false,
        shortfall: 1,
        balance: { total: before },
      });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('Debit', () => {
  it('debits an amount with actor and metadata from the item', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const [out] = await ws.run(
      {
        operation: 'debit',
        amount: ({ json }) => json.cost,
        actor: ({ json }) => json.user,
        options: ({ json }) => ({ metadata: JSON.stringify({ orderId: json.orderId }) }),
      },
      { items: items({ cost: 25, user: 'alice', orderId: 'A-1' }) },
    );
    expect(out).toHaveLength(1);
    const json = out![0]!.json as { transaction: IDataObject; balance: IDataObject; replayed: boolean };
    expect(json.transaction).toMatchObject({ kind: 'debit', amount: 25, balanceAfter: before - 25 });
    expect(json.balance.total).toBe(before - 25);
    expect(json.replayed).toBe(false);
    const [entry] = await ws.journal();
    expect(entry).toMatchObject({ actor: 'alice', source: 'n8n', metadata: { orderId: 'A-1' } });
    expect(String(entry!.idempotencyKey)).toMatch(/^n8n:1001:.+:0:debit$/);
  });

  it('debits a catalog operation priced by the catalog', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const [out] = await ws.run({
      operation: 'debit',
      chargeBy: 'operation',
      catalogOperation: 'image',
      quantity: 2,
      params: '{"model":"flux-2-pro"}',
    });
    expect(out![0]!.json.transaction).toMatchObject({ amount: 240, operation: 'image' });
    expect(await ws.balance()).toBe(before - 240);
  });

  it('a retry within the same execution does not charge twice (derived key)', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const params = { operation: 'debit', amount: ({ json }: INodeExecutionData) => json.cost };
    const input = items({ cost: 10 }, { cost: 20 });
    const first = await ws.run(params, { items: input, executionId: '77' });
    // n8n "Retry On Fail" runs execute() again in the same execution.
    const retry = await ws.run(params, { items: input, executionId: '77' });
    expect(await ws.balance()).toBe(before - 30);
    expect(retry[0]!.map((i) => i.json.replayed)).toEqual([true, true]);
    expect(retry[0]!.map((i) => (i.json.transaction as IDataObject).id)).toEqual(
      first[0]!.map((i) => (i.json.transaction as IDataObject).id),
    );
    expect(await ws.journal()).toHaveLength(2);

    // Another execution (a new run of the workflow) with the derived key is a new charge…
    await ws.run(params, { items: input, executionId: '78' });
    expect(await ws.balance()).toBe(before - 60);
  });

  it('with a key from the data (an order id), re-running the workflow does not charge again', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const params = {
      operation: 'debit',
      amount: 15,
      idempotencyKey: ({ json }: INodeExecutionData) => `order-${json.orderId}`,
    };
    const input = items({ orderId: 'A-1001' }, { orderId: 'A-1002' });
    await ws.run(params, { items: input, executionId: '900' });
    const again = await ws.run(params, { items: input, executionId: '901' });
    expect(again[0]!.map((i) => i.json.replayed)).toEqual([true, true]);
    expect(again[0]!.map((i) => i.json.idempotencyKey)).toEqual(['order-A-1001', 'order-A-1002']);
    expect(await ws.balance()).toBe(before - 30);
  });

  it('the same key with a different amount is refused with a clear idempotency error', async () => {
    const ws = await workspace(1000);
    await ws.run({ operation: 'debit', amount: 5, idempotencyKey: 'k-1' });
    const err = await ws.run({ operation: 'debit', amount: 6, idempotencyKey: 'k-1' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/idempotency key was already used/);
    expect(err.httpCode).toBe('409');
  });

  describe('insufficient credits', () => {
    it('fails the item with required vs available (default)', async () => {
      const ws = await workspace(50);
      const before = await ws.balance();
      const err = await ws
        .run(
          { operation: 'debit', amount: ({ json }) => json.cost },
          { items: items({ cost: 5 }, { cost: before + 100 }) },
        )
        .catch((e) => e);
      expect(err).toBeInstanceOf(NodeOperationError);
      expect(err.message).toBe(
        `Insufficient credits: this needs ${before + 100} credits but only ${before - 5} are available`,
      );
      expect(err.context.itemIndex).toBe(1);
      expect(await ws.balance()).toBe(before - 5);
    });

    it('with continueOnFail, the failing item carries the error and the others go on', async () => {
      const ws = await workspace(50);
      const before = await ws.balance();
      const out = await ws.run(
        { operation: 'debit', amount: ({ json }) => json.cost },
        { items: items({ cost: before + 1 }, { cost: 3 }), continueOnFail: true },
      );
      expect(out).toHaveLength(1);
      expect(out[0]![0]!.json.error).toMatch(/^Insufficient credits/);
      expect(out[0]![0]!.pairedItem).toEqual({ item: 0 });
      expect(out[0]![1]!.json.transaction).toMatchObject({ amount: 3 });
      expect(await ws.balance()).toBe(before - 3);
    });

    it('routes the item to the "Insufficient Credits" output when chosen', async () => {
      const ws = await workspace(50);
      const before = await ws.balance();
      const out = await ws.run(
        { operation: 'debit', amount: ({ json }) => json.cost, onInsufficientCredits: 'route' },
        { items: items({ id: 'a', cost: 10 }, { id: 'b', cost: before + 1 }, { id: 'c', cost: 10 }) },
      );
      expect(out).toHaveLength(2);
      const [ok, insufficient] = out;
      expect(ok!.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
      expect(insufficient).toHaveLength(1);
      expect(insufficient![0]).toMatchObject({
        json: {
          id: 'b',
          cost: before + 1,
          insufficientCredits: { code: 'insufficient_credits', required: before + 1, available: before - 10 },
        },
        pairedItem: { item: 1 },
      });
      expect(await ws.balance()).toBe(before - 20);
    });
  });
});

describe('Reverse', () => {
  it('refunds a debit; repeating the reverse changes nothing', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const [debit] = await ws.run({ operation: 'debit', amount: 40 });
    const transactionId = (debit![0]!.json.transaction as IDataObject).id;
    const reverseParams = {
      resource: 'credit',
      operation: 'reverse',
      transactionId: ({ json }: INodeExecutionData) => (json.transaction as IDataObject).id,
      options: { reason: 'customer refund', amount: 30 },
    };
    const [rev] = await ws.run(reverseParams, { items: debit, executionId: '2001' });
    expect(rev![0]!.json.transaction).toMatchObject({ kind: 'reverse', amount: 30 });
    expect(await ws.balance()).toBe(before - 10);
    const [again] = await ws.run(reverseParams, { items: debit, executionId: '2001' });
    expect(again![0]!.json.replayed).toBe(true);
    expect(await ws.balance()).toBe(before - 10);
    expect(transactionId).toBeTruthy();
  });
});

describe('Hold / Capture / Release', () => {
  it('holds, captures part and returns the rest', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const [held] = await ws.run({ resource: 'hold', operation: 'hold', amount: 100, timeoutSeconds: 600 });
    const hold = held![0]!.json;
    expect(hold).toMatchObject({ amount: 100, status: 'active' });
    expect(await ws.balance()).toBe(before - 100);

    const [captured] = await ws.run(
      { resource: 'hold', operation: 'capture', holdId: ({ json }) => json.id, amount: 60 },
      { items: held },
    );
    expect(captured![0]!.json.transaction).toMatchObject({ kind: 'debit', amount: 60 });
    expect(await ws.balance()).toBe(before - 60);
  });

  it('releases a hold without charging', async () => {
    const ws = await workspace(1000);
    const before = await ws.balance();
    const [held] = await ws.run({ resource: 'hold', operation: 'hold', amount: 70 });
    expect(await ws.balance()).toBe(before - 70);
    const [released] = await ws.run(
      { resource: 'hold', operation: 'release', holdId: ({ json }) => json.id },
      { items: held },
    );
    expect(released![0]!.json.hold).toMatchObject({ status: 'released' });
    expect(await ws.balance()).toBe(before);
  });

  it('routes a hold that the balance cannot cover', async () => {
    const ws = await workspace(20);
    const before = await ws.balance();
    const out = await ws.run({
      resource: 'hold',
      operation: 'hold',
      amount: before + 5,
      onInsufficientCredits: 'route',
    });
    expect(out[0]).toHaveLength(0);
    expect(out[1]![0]!.json.insufficientCredits).toMatchObject({ required: before + 5, available: before });
  });
});

describe('bad parameters give n8n errors naming the field', () => {
  const cases: [string, Record<string, ParamValue>, RegExp][] = [
    ['amount 0', { operation: 'debit', amount: 0 }, /^"Amount" must be a positive whole number/],
    ['fractional amount', { operation: 'debit', amount: 1.5 }, /^"Amount" must be a positive whole number/],
    ['amount from a missing field', { operation: 'debit', amount: ({ json }) => json.nope }, /^"Amount"/],
    [
      'invalid params JSON',
      { operation: 'debit', chargeBy: 'operation', catalogOperation: 'image', params: '{model: flux}' },
      /^"Parameters \(JSON\)" is not valid JSON/,
    ],
    [
      'metadata that is not an object',
      { operation: 'debit', amount: 1, options: { metadata: '[1,2]' } },
      /^"Metadata \(JSON\)" must be a JSON object/,
    ],
    [
      'quantity 0',
      { operation: 'estimate', catalogOperation: 'image', quantity: 0 },
      /^"Quantity" must be a whole number/,
    ],
    [
      'empty catalog operation',
      { operation: 'estimate', catalogOperation: '' },
      /^"Catalog Operation" is required/,
    ],
    ['missing transaction id', { operation: 'reverse', transactionId: '' }, /^"Transaction ID" is required/],
    [
      'missing hold id',
      { resource: 'hold', operation: 'capture', holdId: ' ', amount: 5 },
      /^"Hold ID" is required/,
    ],
  ];

  it.each(cases)('%s', async (_name, parameters, message) => {
    const ws = await workspace(100);
    const before = await ws.balance();
    const err = await ws.run(parameters, { items: items({ ok: true }, { ok: true }) }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(message);
    expect(err.context.itemIndex).toBe(0);
    expect(await ws.balance()).toBe(before);
  });

  it('a field the API refuses is named in the error (unknown catalog operation)', async () => {
    const ws = await workspace(100);
    const err = await ws
      .run({ operation: 'debit', chargeBy: 'operation', catalogOperation: 'no-such-operation' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.httpCode).toBe('400');
    expect(err.message).toMatch(/operation/);
    expect(err.context.itemIndex).toBe(0);
  });

  it('with continueOnFail a bad item is reported on the item, not thrown', async () => {
    const ws = await workspace(100);
    const out = await ws.run(
      { operation: 'debit', amount: ({ json }) => json.cost },
      { items: items({ cost: 'ten' }, { cost: 2 }), continueOnFail: true },
    );
    expect(out[0]![0]!.json.error).toMatch(/^"Amount" must be a positive whole number/);
    expect(out[0]![1]!.json.transaction).toMatchObject({ amount: 2 });
  });
});
