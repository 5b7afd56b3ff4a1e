import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { type RunningRole, runRole } from '../../runtime/roles.js';
import { uniqueId } from '../support/db.js';
import { call, connect } from './support.js';

const OPERATOR = 'op_mcp_runtime_0123456789';

/** `credits serve api` (the composition root) serves /mcp on the API port. */
describe('the api role mounts /mcp', () => {
  let running: RunningRole | undefined;
  afterAll(async () => {
    await running?.stop();
  });

  it('answers the SDK client over Streamable HTTP with a key made through the API', async () => {
    running = await runRole(
      'api',
      loadConfig({ DATABASE_URL: inject('databaseUrl'), OPERATOR_API_KEY: OPERATOR, PORT: '0' }),
      { log: () => {} },
    );
    const base = running.api!.url;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, path).toBe(201);
      return res.json();
    };
    const ws = uniqueId('mcp-role');
    await post('/v1/workspaces', { id: ws, name: ws, plan: 'solo', status: 'active' });
    await post(`/v1/workspaces/${ws}/grants`, {
      type: 'purchased',
      amount: 90,
      reason: 't',
      idempotencyKey: 'g',
    });
    const { key } = await post(`/v1/workspaces/${ws}/api-keys`, { name: 'agent' });
    const { client } = await connect('http', { apiUrl: base, mcpUrl: `${base}/mcp`, key });
    try {
      const debit = await call(client, 'debit_credits', { amount: 15, idempotencyKey: 'role-1' });
      expect(debit.isError, debit.text).toBeFalsy();
      expect(debit.structuredContent).toMatchObject({ balance: { workspaceId: ws, total: 75 } });
      expect((debit.structuredContent as { transaction: { actor: string } }).transaction.actor).toMatch(
        /^key:/,
      );
    } finally {
      await client.close();
    }
  });
});
