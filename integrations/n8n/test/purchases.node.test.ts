/**
 * Request Purchase and Get Purchase against the real API with the real purchase flow: a Temporal
 * dev server and the worker run beside the API (approval → payment → grant), on a real PostgreSQL.
 */
import { NodeApiError } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { node, nodeWorkspace } from './support/node';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ temporal: true });
});

afterAll(async () => {
  await api?.close();
});

const purchase = (operation: string, more: Record<string, unknown>) => ({
  resource: 'purchase',
  operation,
  ...more,
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Purchase → Request / Get', () => {
  it('lists the catalog packages for the Package dropdown', async () => {
    const ws = await nodeWorkspace(api, 0);
    const options = await node.methods.loadOptions.getCatalogPackages.call(ws.context() as never);
    expect(options.map((option) => option.value)).toEqual(expect.arrayContaining(['small', 'medium']));
    expect(options.find((option) => option.value === 'small')!.name).toMatch(/credits/);
  });

  it('requests a package, which waits for approval, then completes once an owner approves', async () => {
    const ws = await nodeWorkspace(api, 0);
    const [requested] = await ws.run(purchase('request', { package: 'small' }));
    expect(requested).toHaveLength(1);
    const created = requested![0]!.json;
    expect(created).toMatchObject({ status: 'pending_approval', package: 'small' });
    expect(created.id).toEqual(expect.any(String));

    const get = async () =>
      (
        await ws.run(purchase('get', { purchaseId: ({ json }: { json: { id: string } }) => json.id }), {
          items: [{ json: { id: String(created.id) } }],
        })
      )[0]![0]!.json;
    expect(await get()).toMatchObject({ id: created.id, status: 'pending_approval', package: 'small' });

    const approved = await api.operator('POST', `/v1/purchases/${String(created.id)}/approve`, {
      by: 'owner',
    });
    expect(approved.status).toBe(200);
    const done = await until(get, (p) => p.status === 'completed', 'purchase');
    expect(done).toMatchObject({ decidedBy: 'owner', decidedVia: 'api' });
    const balance = await api.operator<{ byType: { purchased: number } }>(
      'GET',
      `/v1/workspaces/${ws.workspaceId}/balance`,
    );
    expect(balance.body.byType.purchased).toBe(done.credits);
  });

  it('a rejected purchase reads as rejected; an unknown package and an unknown ID are named', async () => {
    const ws = await nodeWorkspace(api, 0);
    const [requested] = await ws.run(purchase('request', { package: 'small' }));
    const id = String(requested![0]!.json.id);
    expect(
      (await api.operator('POST', `/v1/purchases/${id}/reject`, { by: 'owner', reason: 'not now' })).status,
    ).toBe(200);
    const rejected = await until(
      async () => (await ws.run(purchase('get', { purchaseId: id })))[0]![0]!.json,
      (p) => p.status === 'rejected',
      'purchase',
    );
    expect(rejected).toMatchObject({ id, status: 'rejected' });

    const unknownPackage = await ws
      .run(purchase('request', { package: 'no-such-package' }))
      .catch((e: unknown) => e);
    expect(unknownPackage).toBeInstanceOf(NodeApiError);
    expect((unknownPackage as Error).message).toMatch(/no-such-package|package/);

    const unknownId = await ws.run(purchase('get', { purchaseId: 'pur_missing' })).catch((e: unknown) => e);
    expect(unknownId).toBeInstanceOf(NodeApiError);
    expect((unknownId as NodeApiError).httpCode).toBe('404');

    // Another workspace's key cannot read this purchase.
    const other = await nodeWorkspace(api, 0);
    const foreign = await other.run(purchase('get', { purchaseId: id })).catch((e: unknown) => e);
    expect((foreign as NodeApiError).httpCode).toBe('404');

    await expect(ws.run(purchase('get', { purchaseId: '  ' }))).rejects.toThrow(/"Purchase ID" is required/);
  });
});
