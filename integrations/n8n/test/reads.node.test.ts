/**
 * Get Many Transactions and Get Usage against the real API on a real PostgreSQL, and how the node
 * reports a refused scope and a purchase service that is not there (this API runs without Temporal;
 * purchases.node.test.ts runs the real purchase flow).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { N8N_OPERATIONS } from '../../../application/policies.js';
import { NODE_OPERATIONS } from '../nodes/Credits/actions/router';
import { startTestApi, type TestApi } from './support/api';
import { type NodeWorkspace, nodeWorkspace, recordRequests } from './support/node';

let api: TestApi;
let ws: NodeWorkspace;
const DEBITS = 205;

/** 205 debits by alice and bob through the node (source n8n), 2 image debits through the API. */
beforeAll(async () => {
  api = await startTestApi();
  ws = await nodeWorkspace(api, 100_000);
  const items = Array.from({ length: DEBITS }, (_, i) => ({
    json: { actor: i % 5 === 0 ? 'bob' : 'alice', amount: (i % 3) + 1 },
  }));
  await ws.run(
    {
      resource: 'credit',
      operation: 'debit',
      chargeBy: 'amount',
      amount: ({ json }) => json.amount,
      actor: ({ json }) => json.actor,
    },
    { items },
  );
  for (const key of ['img-1', 'img-2']) {
    const res = await api.operator('POST', `/v1/workspaces/${ws.workspaceId}/debits`, {
      operation: 'image',
      quantity: 1,
      params: { model: 'flux-2-pro' },
      actor: 'carol',
      source: 'api',
      idempotencyKey: key,
    });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await api?.close();
});

const transactions = { resource: 'transaction', operation: 'getAll' };

describe('Transaction → Get Many', () => {
  it('Return All follows nextCursor across pages and returns every entry once, newest first', async () => {
    const { result, requests } = await recordRequests(() =>
      ws.run({ ...transactions, returnAll: true, filters: { kind: 'debit' } }),
    );
    const out = result[0]!;
    expect(out).toHaveLength(DEBITS + 2);
    expect(new Set(out.map((item) => item.json.id)).size).toBe(DEBITS + 2);
    expect(out.every((item) => item.json.kind === 'debit' && item.pairedItem !== undefined)).toBe(true);
    const times = out.map((item) => String(item.json.createdAt));
    expect([...times].sort().reverse()).toEqual(times);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.searchParams.get('limit')).toBe('200');
    expect(requests[0]!.searchParams.has('cursor')).toBe(false);
    expect(requests[1]!.searchParams.get('cursor')).toBeTruthy();
    // Without a kind filter the grant is there too.
    const [all] = await ws.run({ ...transactions, returnAll: true });
    expect(all).toHaveLength(DEBITS + 3);
    expect(all!.at(-1)!.json).toMatchObject({ kind: 'grant', amount: 100_000 });
  });

  it('Limit stops at the limit: one small page, or a second page for what is missing', async () => {
    const small = await recordRequests(() => ws.run({ ...transactions, returnAll: false, limit: 7 }));
    expect(small.result[0]).toHaveLength(7);
    expect(small.requests.map((url) => url.searchParams.get('limit'))).toEqual(['7']);

    const over = await recordRequests(() =>
      ws.run({ ...transactions, limit: 203, filters: { kind: 'debit' } }),
    );
    expect(over.result[0]).toHaveLength(203);
    expect(over.requests.map((url) => url.searchParams.get('limit'))).toEqual(['200', '3']);
    const [first] = await ws.run({ ...transactions, returnAll: true, filters: { kind: 'debit' } });
    expect(over.result[0]!.map((item) => item.json.id)).toEqual(
      first!.slice(0, 203).map((item) => item.json.id),
    );
  });

  it('filters by actor, operation, source and time', async () => {
    const [bob] = await ws.run({ ...transactions, returnAll: true, filters: { actor: 'bob' } });
    expect(bob).toHaveLength(41);
    expect(bob!.every((item) => item.json.actor === 'bob')).toBe(true);

    const [images] = await ws.run({ ...transactions, returnAll: true, filters: { operation: 'image' } });
    expect(images!.map((item) => [item.json.actor, item.json.source, item.json.amount])).toEqual([
      ['carol', 'api', 120],
      ['carol', 'api', 120],
    ]);
    const [viaApi] = await ws.run({
      ...transactions,
      returnAll: true,
      filters: { source: 'api', kind: 'debit' },
    });
    expect(viaApi).toHaveLength(2);
    const [viaN8n] = await ws.run({ ...transactions, returnAll: true, filters: { source: 'n8n' } });
    expect(viaN8n).toHaveLength(DEBITS);

    const newest = String(images![0]!.json.createdAt);
    // n8n's date picker gives a time without a zone: read as UTC.
    const [fromNewest] = await ws.run({
      ...transactions,
      returnAll: true,
      filters: { from: newest.replace(/Z$/, '') },
    });
    expect(fromNewest!.map((item) => item.json.id)).toContain(images![0]!.json.id);
    expect(fromNewest!.every((item) => String(item.json.createdAt) >= newest)).toBe(true);
    const [beforeAnything] = await ws.run({
      ...transactions,
      returnAll: true,
      filters: { to: '2020-01-01T00:00:00Z' },
    });
    expect(beforeAnything).toEqual([]);
  });

  it('names a bad filter before calling the API', async () => {
    await expect(ws.run({ ...transactions, filters: { from: 'yesterday-ish' } })).rejects.toThrow(
      /"From" must be a date and time/,
    );
    const error = await ws.run({ ...transactions, filters: { kind: 'refund' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as Error).message).toMatch(/"Kind" must be one of grant, debit/);
    await expect(ws.run({ ...transactions, limit: 0 })).rejects.toThrow(
      /"Limit" must be a whole number of at least 1, got 0/,
    );
  });
});

describe('Usage → Get', () => {
  it('groups by actor, operation and day, as a summary or one item per group', async () => {
    const [byActor] = await ws.run({ resource: 'usage', operation: 'get', groupBy: 'actor' });
    expect(byActor).toHaveLength(1);
    const usage = byActor![0]!.json as {
      total: number;
      groupBy: string;
      groups: { key: string; used: number; count: number }[];
    };
    const [debits] = await ws.run({ ...transactions, returnAll: true, filters: { kind: 'debit' } });
    const used = (actor: string) =>
      debits!
        .filter((item) => item.json.actor === actor)
        .reduce((sum, item) => sum + Number(item.json.amount), 0);
    expect(usage.groupBy).toBe('actor');
    expect(usage.total).toBe(used('alice') + used('bob') + used('carol'));
    expect(Object.fromEntries(usage.groups.map((g) => [g.key, [g.used, g.count]]))).toEqual({
      alice: [used('alice'), 164],
      bob: [used('bob'), 41],
      carol: [240, 2],
    });

    const [byOperation] = await ws.run({
      resource: 'usage',
      operation: 'get',
      groupBy: 'operation',
      output: 'groups',
    });
    expect(byOperation!.find((item) => item.json.key === 'image')!.json).toMatchObject({
      groupBy: 'operation',
      used: 240,
      count: 2,
    });

    const [byDay] = await ws.run({ resource: 'usage', operation: 'get', groupBy: 'day', output: 'groups' });
    expect(byDay!.reduce((sum, item) => sum + Number(item.json.used), 0)).toBe(usage.total);

    const [empty] = await ws.run({
      resource: 'usage',
      operation: 'get',
      usageOptions: { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' },
    });
    expect(empty![0]!.json).toMatchObject({ total: 0, groups: [], from: '2020-01-01T00:00:00.000Z' });
  });
});

describe('access and availability', () => {
  it('a key without the scope is refused with the scope named', async () => {
    const readOnly = await nodeWorkspace(api, 10, ['balance:read']);
    const error = await readOnly
      .run({ resource: 'purchase', operation: 'request', package: 'small' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('403');
    expect((error as Error).message).toMatch(/lacks the "purchases:request" scope/);
    // A read with the same key works: the refusal is about the scope, not the key.
    const [out] = await readOnly.run({ resource: 'usage', operation: 'get' });
    expect(out![0]!.json).toMatchObject({ total: 0 });

    const noRead = await nodeWorkspace(api, 10, ['credits:spend']);
    await expect(noRead.run({ ...transactions, returnAll: true })).rejects.toThrow(
      /lacks the "balance:read" scope/,
    );
  });

  it('Request Purchase on an API without the purchase service says so (503)', async () => {
    const error = await ws
      .run({ resource: 'purchase', operation: 'request', package: 'small' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('503');
    expect((error as Error).message).toMatch(/purchases need the Temporal worker/);
  });

  it('continueOnFail puts the refusal on the item instead of failing', async () => {
    const readOnly = await nodeWorkspace(api, 10, ['balance:read']);
    const [out] = await readOnly.run(
      { resource: 'purchase', operation: 'request', package: 'small' },
      { continueOnFail: true },
    );
    expect(String(out![0]!.json.error)).toMatch(/purchases:request/);
  });

  it('application/policies.ts maps exactly the node’s operations', () => {
    const mapped = Object.keys(N8N_OPERATIONS).filter((key) => !key.startsWith('loadOptions.'));
    expect(mapped.sort()).toEqual([...NODE_OPERATIONS].sort());
    expect(NODE_OPERATIONS).toContain('transaction.getAll');
  });
});
