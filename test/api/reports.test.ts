import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, transactions, usage } from '../../ledger/reports.js';
import { useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';
import { useApi } from './support.js';

const sql = useTestDatabase(4);

/** grant 1000; day 0: d1 unit×2 (6, alice, slack), d2 amount 10 (bob, n8n); day 1: d3 unit×1 (3, bob), reverse d1 (support). */
async function history() {
  const t = testLedger(sql, new Date('2026-03-01T10:00:00Z'));
  const ws = await t.workspace();
  await t.ledger.grant(ws, { type: 'purchased', amount: 1000, reason: 'seed', idempotencyKey: 'g' });
  const d1 = await t.ledger.debit(ws, {
    operation: 'unit',
    quantity: 2,
    actor: 'alice',
    source: 'slack',
    idempotencyKey: 'd1',
  });
  await t.ledger.debit(ws, { amount: 10, actor: 'bob', source: 'n8n', idempotencyKey: 'd2' });
  t.advance(DAY);
  await t.ledger.debit(ws, { operation: 'unit', actor: 'bob', idempotencyKey: 'd3' });
  await t.ledger.reverse(d1.transaction.id, { actor: 'support', idempotencyKey: 'r1', reason: 'failed' });
  return { ws, day1: new Date('2026-03-02T00:00:00Z') };
}

describe('transactions()', () => {
  it('lists newest first with filters and an opaque cursor', async () => {
    const { ws, day1 } = await history();
    const all = await transactions(sql, ws);
    expect(all.items.map((t) => t.kind)).toEqual(['reverse', 'debit', 'debit', 'debit', 'grant']);
    expect(all.nextCursor).toBeNull();

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await transactions(sql, ws, { limit: 2, cursor });
      pages.push(page.items.map((t) => t.idempotencyKey ?? ''));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([['r1', 'd3'], ['d2', 'd1'], ['g']]);

    const keys = async (filter: Parameters<typeof transactions>[2]) =>
      (await transactions(sql, ws, filter)).items.map((t) => t.idempotencyKey);
    expect(await keys({ kind: 'debit' })).toEqual(['d3', 'd2', 'd1']);
    expect(await keys({ actor: 'bob' })).toEqual(['d3', 'd2']);
    expect(await keys({ source: 'n8n' })).toEqual(['d2']);
    expect(await keys({ operation: 'unit' })).toEqual(['r1', 'd3', 'd1']);
    expect(await keys({ from: day1 })).toEqual(['r1', 'd3']);
    expect(await keys({ to: day1.toISOString() })).toEqual(['d2', 'd1', 'g']);
    expect(await keys({ kind: 'debit', from: day1, limit: 1 })).toEqual(['d3']);
  });

  it('refuses bad filters by name and unknown workspaces', async () => {
    await expect(transactions(sql, 'ws-none')).rejects.toMatchObject({ code: 'not_found' });
    await expect(transactions(sql, 'x', { cursor: 'garbage!' })).rejects.toMatchObject({
      details: { fields: [{ field: 'cursor' }] },
    });
    await expect(transactions(sql, 'x', { limit: 0 })).rejects.toMatchObject({
      details: { fields: [{ field: 'limit' }] },
    });
    expect(decodeCursor(encodeCursor('42'))).toBe(42);
  });
});

describe('usage()', () => {
  it('counts debits minus reversals; a reversal counts under its debit’s operation and actor', async () => {
    const { ws, day1 } = await history();
    const byActor = await usage(sql, ws, { groupBy: 'actor' });
    expect(byActor).toEqual({
      groupBy: 'actor',
      from: null,
      to: null,
      total: 13,
      groups: [
        { key: 'bob', used: 13, count: 2 },
        { key: 'alice', used: 0, count: 1 },
      ],
    });
    const byOperation = await usage(sql, ws, { groupBy: 'operation' });
    expect(byOperation.groups).toEqual([
      { key: null, used: 10, count: 1 },
      { key: 'unit', used: 3, count: 2 },
    ]);
    const byDay = await usage(sql, ws, { groupBy: 'day' });
    expect(byDay.groups).toEqual([
      { key: '2026-03-01', used: 16, count: 2 },
      { key: '2026-03-02', used: -3, count: 1 },
    ]);
    const lifetime = await sql`SELECT lifetime_used FROM workspaces WHERE id = ${ws}`;
    expect(byDay.total).toBe(lifetime[0]!.lifetime_used);
    const window = await usage(sql, ws, { groupBy: 'operation', from: day1 });
    expect(window).toMatchObject({ from: day1.toISOString(), total: -3 });
  });
});

describe('over HTTP', () => {
  const api = useApi();

  it('pages through the whole journal with nextCursor', async () => {
    const a = await api;
    const { id, key } = await a.workspace({ credits: 100 });
    for (let i = 0; i < 7; i++) {
      await a.call('POST', `/v1/workspaces/${id}/debits`, {
        key,
        body: { amount: 1, idempotencyKey: `p${i}` },
      });
    }
    const seen: string[] = [];
    let path = `/v1/workspaces/${id}/transactions?limit=3&kind=debit`;
    for (;;) {
      const page = await a.call('GET', path, { key });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { idempotencyKey: string }) => t.idempotencyKey));
      if (!page.body.nextCursor) break;
      path = `/v1/workspaces/${id}/transactions?limit=3&kind=debit&cursor=${page.body.nextCursor}`;
    }
    expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
    const u = await a.call('GET', `/v1/workspaces/${id}/usage?groupBy=day`, { key });
    expect(u.body).toMatchObject({ groupBy: 'day', total: 7, groups: [{ used: 7, count: 7 }] });
  });
});
