import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../ledger/verify.js';
import { paidPurchase } from '../support/paid-purchase.js';
import { useApi } from './support.js';

const api = await useApi();
const month = () => {
  const now = api.ctx.ledger.now();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  return { from, to };
};

async function approverKey(ws: string): Promise<string> {
  await api.call('POST', `/v1/workspaces/${ws}/members`, {
    body: { id: 'olga', name: 'Olga', role: 'owner' },
  });
  const k = await api.call('POST', `/v1/workspaces/${ws}/api-keys`, {
    body: { name: 'approver', scopes: ['purchases:approve', 'balance:read'], memberId: 'olga' },
  });
  expect(k.status).toBe(201);
  return k.body.key;
}

describe('POST /v1/purchases/{id}/refund', () => {
  it('the worked example over HTTP: 300 used, 700 refunded for 35.00, and the report in JSON and CSV', async () => {
    const ws = await api.workspace();
    const purchase = await paidPurchase(api.ctx.sql, api.ctx.ledger, ws.id);
    const debit = await api.call('POST', `/v1/workspaces/${ws.id}/debits`, {
      key: ws.key,
      body: { amount: 300, idempotencyKey: 'use-300' },
    });
    expect(debit.status).toBe(201);
    const refund = await api.call('POST', `/v1/purchases/${purchase.id}/refund`, {
      key: await approverKey(ws.id),
      body: { reason: 'not needed', idempotencyKey: 'refund-1' },
    });
    expect(refund.status).toBe(200);
    expect(refund.body.purchase).toMatchObject({ id: purchase.id, status: 'partially_refunded' });
    expect(refund.body.refund).toEqual({ credits: 700, amount: '35.00', currency: 'USD' });

    const report = await api.call(
      'GET',
      `/v1/reports/revenue?from=${month().from}&to=${month().to}&workspace=${ws.id}`,
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      currency: 'USD',
      openingDeferred: '0.00',
      sold: '50.00',
      recognized: '15.00',
      breakage: '0.00',
      refunded: '35.00',
      closingDeferred: '0.00',
    });
    const csv = await api.call(
      'GET',
      `/v1/reports/revenue?from=${month().from}&to=${month().to}&workspace=${ws.id}`,
      {
        headers: { accept: 'text/csv' },
      },
    );
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'currency,from,to,workspaceId,openingDeferred,sold,recognized,breakage,refunded,closingDeferred',
    );
    expect(csv.text).toContain(`,${ws.id},0.00,50.00,15.00,0.00,35.00,0.00\r\n`);
    const audit = await api.call('GET', `/v1/workspaces/${ws.id}/audit`);
    expect(audit.body.items[0]).toMatchObject({ action: 'purchase.refunded', target: purchase.id });
    expect(await verifyLedger(api.ctx.sql, ws.id)).toEqual([]);
  });

  it('refuses with a 4xx naming why: unpaid, promotional, already refunded, another workspace, no scope, no key', async () => {
    const ws = await api.workspace();
    const other = await api.workspace();
    const approver = await approverKey(ws.id);
    const refund = (
      id: string,
      key: string | undefined,
      body: unknown = { idempotencyKey: `r-${Math.random()}` },
    ) => api.call('POST', `/v1/purchases/${id}/refund`, { ...(key ? { key } : {}), body });

    const unpaid = await paidPurchase(api.ctx.sql, api.ctx.ledger, ws.id, { status: 'pending_approval' });
    const r1 = await refund(unpaid.id, approver);
    expect(r1.status).toBe(409);
    expect(r1.body.error).toMatchObject({ code: 'conflict', details: { reason: 'not_paid' } });
    expect(r1.body.error.message).toContain('never paid');

    const promo = await paidPurchase(api.ctx.sql, api.ctx.ledger, ws.id, { lotType: 'promotional' });
    const r2 = await refund(promo.id, approver);
    expect(r2.status).toBe(409);
    expect(r2.body.error.message).toMatch(/promotional: nothing was paid for it/);

    const paid = await paidPurchase(api.ctx.sql, api.ctx.ledger, ws.id);
    const elsewhere = await refund(paid.id, (await approverKey(other.id)) as string);
    expect(elsewhere.status).toBe(404);
    expect((await refund(paid.id, ws.key)).status).toBe(403); // every scope but purchases:approve
    const missing = await refund(paid.id, approver, { reason: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields[0].field).toBe('idempotencyKey');
    expect((await refund(paid.id, approver)).status).toBe(200);
    const again = await refund(paid.id, approver);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ details: { reason: 'already_refunded' } });
    expect(again.body.error.message).toBe(`purchase ${paid.id} is already refunded`);
    expect(await verifyLedger(api.ctx.sql, ws.id)).toEqual([]);
  });

  it('refunds exactly once under 20 concurrent calls (10 with one key, 10 with keys of their own)', async () => {
    const ws = await api.workspace();
    const purchase = await paidPurchase(api.ctx.sql, api.ctx.ledger, ws.id);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.call('POST', `/v1/purchases/${purchase.id}/refund`, {
          body: { idempotencyKey: i % 2 === 0 ? 'same' : `own-${i}` },
        }),
      ),
    );
    const ok = replies.filter((r) => r.status === 200);
    for (const r of replies) expect([200, 409]).toContain(r.status);
    for (const r of ok) expect(r.body.refund).toEqual({ credits: 1000, amount: '50.00', currency: 'USD' });
    for (const r of replies.filter((x) => x.status === 409))
      expect(r.body.error.details.reason).toBe('already_refunded');
    const rows = await api.ctx.sql`
      SELECT (SELECT count(*)::int FROM journal WHERE workspace_id = ${ws.id} AND kind = 'refund') AS entries,
             (SELECT count(*)::int FROM refunds WHERE purchase_id = ${purchase.id}) AS refunds`;
    expect(rows[0]).toEqual({ entries: 1, refunds: 1 });
    expect(await verifyLedger(api.ctx.sql, ws.id)).toEqual([]);
  });
});

describe('POST /v1/lots/{id}/void and the report, for the operator only', () => {
  it('voids what remains with a reason; workspace keys get 403; bad periods 400 naming the field', async () => {
    const ws = await api.workspace({ credits: 40 });
    const [lot] = (await api.call('GET', `/v1/workspaces/${ws.id}/lots`)).body.items;
    expect(
      (
        await api.call('POST', `/v1/lots/${lot.id}/void`, {
          key: ws.key,
          body: { reason: 'x', idempotencyKey: 'v' },
        })
      ).status,
    ).toBe(403);
    const noReason = await api.call('POST', `/v1/lots/${lot.id}/void`, { body: { idempotencyKey: 'v' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.fields[0].field).toBe('reason');
    const v = await api.call('POST', `/v1/lots/${lot.id}/void`, {
      body: { reason: 'granted twice', idempotencyKey: 'v' },
    });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({
      transaction: { kind: 'void', delta: -40 },
      void: { credits: 40, amount: '0.00' },
      balance: { total: 0 },
    });
    expect(
      (await api.call('GET', `/v1/reports/revenue?from=2026-01-01&to=2026-02-01`, { key: ws.key })).status,
    ).toBe(403);
    const bad = await api.call('GET', '/v1/reports/revenue?from=2026-02-01&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('to');
    const garbage = await api.call('GET', '/v1/reports/revenue?from=yesterday&to=2026-01-01');
    expect(garbage.body.error.details.fields[0].field).toBe('from');
  });
});
