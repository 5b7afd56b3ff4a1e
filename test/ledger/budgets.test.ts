import { describe, expect, it } from 'vitest';
import { type InProcessDeps, inProcessGateway } from '../../integrations/mcp/in-process.js';
import { toWebhookEvent } from '../../integrations/webhook/sender.js';
import { BudgetStore } from '../../ledger/stores/budgets.js';
import { verifyLedger } from '../../ledger/verify.js';
import { alertNotification } from '../../workflows/notify/activities.js';
import { useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const store = new BudgetStore(sql);
const by = { actor: 'operator', channel: 'api' };

async function setup(
  budgets: {
    kind: 'member' | 'api_key' | 'actor' | 'operation';
    subject: string;
    limit: number;
    max?: number;
  }[],
) {
  const t = testLedger(sql, new Date('2026-11-10T12:00:00Z'));
  const ws = await t.workspace();
  await t.ledger.grant(ws, { type: 'purchased', amount: 10_000, reason: 'x', idempotencyKey: 'g' });
  const ids = [];
  for (const b of budgets) {
    const made = await store.create(
      ws,
      {
        subjectKind: b.kind,
        subject: b.subject,
        period: 'month',
        limit: b.limit,
        perDebitMax: b.max ?? null,
      },
      by,
    );
    ids.push(made.id);
  }
  return { t, ws, ids };
}

const used = async (ws: string, id: string, at: Date) => (await store.usage(ws, at)).get(id)!.used;

describe('budgets in the ledger', () => {
  it('refuses a debit that would pass a member budget, whole, naming the budget; others are untouched', async () => {
    const { t, ws, ids } = await setup([{ kind: 'member', subject: 'sam', limit: 100 }]);
    await t.ledger.debit(ws, { amount: 60, idempotencyKey: 'a', actor: 'member:sam' });
    // A key bound to sam spends as sam, whatever actor it names.
    await t.ledger.debit(ws, {
      amount: 30,
      idempotencyKey: 'b',
      actor: 'agent:x',
      spender: { memberId: 'sam', apiKeyId: 'key_1' },
    });
    await expect(
      t.ledger.debit(ws, { amount: 11, idempotencyKey: 'c', actor: 'member:sam' }),
    ).rejects.toMatchObject({
      code: 'budget_exceeded',
      details: {
        budgetId: ids[0],
        limit: 100,
        used: 90,
        requested: 11,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
    });
    // Nothing consumed, nothing remembered: the same key may succeed later within the limit.
    expect((await t.ledger.balance(ws)).total).toBe(10_000 - 90);
    await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'c', actor: 'member:sam' });
    await t.ledger.debit(ws, { amount: 500, idempotencyKey: 'd', actor: 'member:ada' });
    expect(await used(ws, ids[0]!, t.now())).toBe(100);
    // A replay is not a new debit.
    expect(
      (await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'c', actor: 'member:sam' })).replayed,
    ).toBe(true);
    // A new period starts from zero.
    t.advance(25 * DAY);
    await t.ledger.debit(ws, { amount: 100, idempotencyKey: 'e', actor: 'member:sam' });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('applies the cap per debit, key, actor and operation budgets, and approved raises of the period', async () => {
    const { t, ws, ids } = await setup([
      { kind: 'api_key', subject: 'key_a', limit: 1000, max: 50 },
      { kind: 'actor', subject: 'automation:blog', limit: 70 },
      { kind: 'operation', subject: 'unit', limit: 120 },
    ]);
    await expect(
      t.ledger.debit(ws, { amount: 51, idempotencyKey: 'a', spender: { apiKeyId: 'key_a' } }),
    ).rejects.toMatchObject({ code: 'budget_exceeded', details: { budgetId: ids[0], perDebitMax: 50 } });
    await t.ledger.debit(ws, { amount: 50, idempotencyKey: 'b', actor: 'automation:blog' });
    await expect(
      t.ledger.debit(ws, { amount: 21, idempotencyKey: 'c', actor: 'automation:blog' }),
    ).rejects.toMatchObject({ code: 'budget_exceeded', details: { budgetId: ids[1], limit: 70, used: 50 } });
    await t.ledger.debit(ws, { operation: 'unit', quantity: 40, idempotencyKey: 'd' });
    await expect(
      t.ledger.debit(ws, { operation: 'unit', quantity: 1, idempotencyKey: 'e' }),
    ).rejects.toMatchObject({
      code: 'budget_exceeded',
      details: { budgetId: ids[2] },
    });
    await sql`INSERT INTO budget_raises (id, workspace_id, budget_id, amount, status, requested_by, period_start, period_end)
              VALUES ('raise_0000000a', ${ws}, ${ids[2]!}, 3, 'approved', 'member:sam',
                      '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z')`;
    await t.ledger.debit(ws, { operation: 'unit', quantity: 1, idempotencyKey: 'e' });
    expect((await store.usage(ws, t.now())).get(ids[2]!)).toMatchObject({
      limit: 123,
      raised: 3,
      used: 123,
      remaining: 0,
    });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('counts holds while held, captures what they take, and gives back on release, timeout and reversal', async () => {
    const { t, ws, ids } = await setup([{ kind: 'member', subject: 'sam', limit: 100 }]);
    const sam = { actor: 'member:sam' };
    const { hold } = await t.ledger.placeHold(ws, {
      amount: 80,
      idempotencyKey: 'h1',
      timeoutSeconds: 60,
      ...sam,
    });
    expect(await used(ws, ids[0]!, t.now())).toBe(80);
    await expect(t.ledger.debit(ws, { amount: 21, idempotencyKey: 'd1', ...sam })).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    await expect(t.ledger.placeHold(ws, { amount: 21, idempotencyKey: 'h2', ...sam })).rejects.toMatchObject({
      code: 'budget_exceeded',
      details: { used: 80, requested: 21 },
    });
    await t.ledger.capture(hold.id, { amount: 30, idempotencyKey: 'c1' });
    expect(await used(ws, ids[0]!, t.now())).toBe(30);
    const { hold: h3 } = await t.ledger.placeHold(ws, { amount: 70, idempotencyKey: 'h3', ...sam });
    await t.ledger.release(h3.id);
    await t.ledger.placeHold(ws, { amount: 70, idempotencyKey: 'h4', timeoutSeconds: 10, ...sam });
    expect(await used(ws, ids[0]!, t.now())).toBe(100);
    t.advance(11_000);
    expect(await used(ws, ids[0]!, t.now())).toBe(30);
    const debit = await t.ledger.debit(ws, { amount: 70, idempotencyKey: 'd2', ...sam });
    await t.ledger.reverse(debit.transaction.id, { idempotencyKey: 'r1', amount: 20 });
    expect(await used(ws, ids[0]!, t.now())).toBe(80);
    expect(await verifyLedger(sql, ws)).toEqual([]);
    // verify sees a counter that drifts from the journal.
    await sql`UPDATE budget_usage SET used = used + 1 WHERE budget_id = ${ids[0]!}`;
    expect((await verifyLedger(sql, ws)).map((v) => v.rule)).toEqual(['budget_usage']);
    await sql`UPDATE budget_usage SET used = used - 1 WHERE budget_id = ${ids[0]!}`;
  });

  it('announces 80 % and 100 % once per period in the alert outbox', async () => {
    const { t, ws, ids } = await setup([{ kind: 'actor', subject: 'agent:x', limit: 100 }]);
    const a = { actor: 'agent:x' };
    const events = async () =>
      (
        await sql`SELECT threshold, data FROM alert_events WHERE workspace_id = ${ws} AND type = 'budget.threshold' ORDER BY id`
      ).map((r) => [Number(r.threshold), r.data.budgetId, r.data.used]);
    await t.ledger.debit(ws, { amount: 79, idempotencyKey: '1', ...a });
    expect(await events()).toEqual([]);
    await t.ledger.debit(ws, { amount: 1, idempotencyKey: '2', ...a });
    expect(await events()).toEqual([[80, ids[0], 80]]);
    const d = await t.ledger.debit(ws, { amount: 5, idempotencyKey: '3', ...a });
    await t.ledger.reverse(d.transaction.id, { idempotencyKey: 'r' });
    await t.ledger.debit(ws, { amount: 5, idempotencyKey: '4', ...a });
    expect(await events()).toEqual([[80, ids[0], 80]]);
    const { hold } = await t.ledger.placeHold(ws, { amount: 15, idempotencyKey: 'h', ...a });
    expect(await events()).toEqual([
      [80, ids[0], 80],
      [100, ids[0], 100],
    ]);
    await t.ledger.capture(hold.id, { amount: 15, idempotencyKey: 'c' });
    expect((await events()).length).toBe(2);
    // Delivered like balance alerts: the outbox event, its notification, its webhook event.
    const [row] = await sql`SELECT id FROM alert_events WHERE workspace_id = ${ws} AND threshold = 100`;
    const event = (await t.ledger.alertOutbox.event(ws, String(row!.id)))!;
    expect(event).toMatchObject({
      type: 'budget.threshold',
      budget: { budgetId: ids[0], percent: 100, limit: 100 },
    });
    expect(toWebhookEvent(alertNotification(event))).toMatchObject({
      type: 'budget.threshold',
      data: { budgetId: ids[0], percent: 100, used: 100, limit: 100, resetsAt: '2026-12-01T00:00:00.000Z' },
    });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('counts an agent debits and holds through MCP toward the budgets of its key and of its member', async () => {
    const { t, ws, ids } = await setup([
      { kind: 'api_key', subject: 'key_agent', limit: 50 },
      { kind: 'member', subject: 'sam', limit: 1000 },
    ]);
    const principal = {
      kind: 'key' as const,
      keyId: 'key_agent',
      workspaceId: ws,
      name: 'agent',
      scopes: ['credits:spend' as const],
      memberId: 'sam',
    };
    const mcp = inProcessGateway(
      { ledger: t.ledger, directory: t.directory } as unknown as InProcessDeps,
      principal,
    );
    // The actor it names changes nothing: the key and its member come from the credentials.
    await mcp.debit(ws, { amount: 30, idempotencyKey: 'm1', actor: 'agent:someone-else' });
    await mcp.hold(ws, { amount: 20, idempotencyKey: 'm2' });
    await expect(mcp.debit(ws, { amount: 1, idempotencyKey: 'm3' })).rejects.toMatchObject({
      code: 'budget_exceeded',
      details: { budgetId: ids[0], limit: 50, used: 50 },
    });
    expect(await used(ws, ids[1]!, t.now())).toBe(50);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});
