import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../ledger/alerts.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase(30);
const t100 = { low: 100, critical: 10 };

describe('evaluateAlerts', () => {
  it('stays quiet for a new empty workspace and re-arms silently on its first grant', () => {
    expect(evaluateAlerts({}, t100, 0).events).toEqual([]);
    const armed = evaluateAlerts({}, t100, 980);
    expect(armed).toEqual({ state: { low: 'armed', critical: 'armed', depleted: 'armed' }, events: [] });
  });

  it('fires once per downward crossing, the most severe when several cross at once', () => {
    const armed = { low: 'armed', critical: 'armed', depleted: 'armed' } as const;
    const low = evaluateAlerts(armed, t100, 99);
    expect(low.events.map((e) => e.type)).toEqual(['alert.low']);
    expect(evaluateAlerts(low.state, t100, 50).events).toEqual([]);
    const all = evaluateAlerts(armed, t100, 0);
    expect(all.events.map((e) => e.type)).toEqual(['alert.depleted']);
    expect(evaluateAlerts(all.state, t100, 5).events.map((e) => e.type)).toEqual(['alert.recovered']);
    expect(evaluateAlerts(all.state, t100, 5).events[0]!.data.recovered).toEqual(['depleted']);
  });

  it('treats exactly the threshold as not low, and re-arms at it', () => {
    const armed = { low: 'armed', critical: 'armed', depleted: 'armed' } as const;
    expect(evaluateAlerts(armed, t100, 100).events).toEqual([]);
    const fired = evaluateAlerts(armed, t100, 99).state;
    expect(evaluateAlerts(fired, t100, 100).events.map((e) => e.type)).toEqual(['alert.recovered']);
  });
});

describe('alert outbox', () => {
  it('records exactly one low alert when 100 concurrent debits cross the threshold, and one recovery after a grant', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 150, reason: 'cycle', idempotencyKey: 'g' });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => t.ledger.debit(ws, { amount: 1, idempotencyKey: `d${i}` })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    // A retry of every debit changes nothing and must not alert again.
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.ledger.debit(ws, { amount: 1, idempotencyKey: `d${i}` })),
    );
    let events =
      await sql`SELECT type, balance, threshold FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;
    expect(events.map((e) => e.type)).toEqual(['alert.low']);
    expect(events[0]!.balance).toBeLessThan(100);
    expect(events[0]!.threshold).toBe(100);

    await t.ledger.grant(ws, { type: 'purchased', amount: 1000, reason: 'bought', idempotencyKey: 'p' });
    events = await sql`SELECT type FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;
    expect(events.map((e) => e.type)).toEqual(['alert.low', 'alert.recovered']);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it("uses the workspace's own thresholds and counts holds and expiries as balance changes", async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await sql`UPDATE workspaces SET settings = '{"alerts": {"thresholds": {"low": 500, "critical": 50}}}' WHERE id = ${ws}`;
    await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 600,
      expiresAt: new Date(t.now().getTime() + 1000),
      reason: 'cycle',
      idempotencyKey: 'g',
    });
    await t.ledger.placeHold(ws, { amount: 200, idempotencyKey: 'h' });
    t.advance(2000);
    await t.ledger.expireDue({ workspaceId: ws });
    const events = await sql`SELECT type, threshold FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;
    expect(events.map((e) => `${e.type}@${e.threshold}`)).toEqual(['alert.low@500', 'alert.depleted@0']);
  });
});
