import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../ledger/db.js';
import { isCreditsError } from '../../ledger/errors.js';
import { Ledger, systemKey } from '../../ledger/ledger.js';
import { migrate } from '../../ledger/migrate.js';
import { verifyLedger } from '../../ledger/verify.js';
import { plainCatalog } from '../support/catalog.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const t = testLedger(sql);

const purchaseGrant = (id: string) => ({
  type: 'purchased' as const,
  amount: 500,
  reason: `purchase ${id}: Small package`,
  idempotencyKey: systemKey('purchase', id),
  origin: { kind: 'purchase', purchaseId: id },
  actor: 'olivia',
  source: 'workflow' as const,
});

describe('system idempotency keys', () => {
  it("a client's debit with purchase:<id> no longer breaks that purchase's grant", async () => {
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'promotional', amount: 50, reason: 'seed', idempotencyKey: 'seed' });
    const id = uniqueId('purchase');
    // The attack: a client spends with the key the purchase's grant will use.
    const debit = await t.ledger.debit(ws, { amount: 5, idempotencyKey: `purchase:${id}` });
    expect(debit.replayed).toBe(false);
    const granted = await t.ledger.grant(ws, purchaseGrant(id));
    expect(granted.replayed).toBe(false);
    expect(granted.lot.amount).toBe(500);
    // Each namespace replays its own: the client's debit, and the system's grant (never twice).
    expect((await t.ledger.debit(ws, { amount: 5, idempotencyKey: `purchase:${id}` })).replayed).toBe(true);
    const again = await t.ledger.grant(ws, purchaseGrant(id));
    expect(again.replayed).toBe(true);
    expect(again.lot.id).toBe(granted.lot.id);
    expect(await t.ledger.grantedLot(ws, systemKey('purchase', id))).toEqual({
      id: granted.lot.id,
      amount: 500,
    });
    expect(await t.ledger.grantedLot(ws, `purchase:${id}`)).toBeNull();
    expect((await t.ledger.balance(ws)).total).toBe(545);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('a client grant (string key) cannot replay or block a system grant, nor the other way round', async () => {
    const ws = await t.workspace();
    const id = uniqueId('purchase');
    const system = await t.ledger.grant(ws, purchaseGrant(id));
    const client = await t.ledger.grant(ws, {
      type: 'promotional',
      amount: 7,
      reason: 'looks like a purchase',
      idempotencyKey: `purchase:${id}`,
    });
    expect(client.replayed).toBe(false);
    expect(client.lot.id).not.toBe(system.lot.id);
    expect((await t.ledger.balance(ws)).total).toBe(507);
  });
});

// The upgrade: rows the workflows wrote before migration 007 are recognised as the system's.
const admin = inject('adminDatabaseUrl');
const dbName = `credits_upgrade_${Date.now()}_${process.pid}`;
const adminSql = connect(admin, { max: 1 });
afterAll(async () => {
  await adminSql.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await adminSql.end();
});

describe('migration 007 on a database written before it', () => {
  it('moves the workflows’ grants to the system namespace, leaves clients’ keys alone, grants nothing twice', async () => {
    await adminSql.unsafe(`CREATE DATABASE ${dbName}`);
    const url = new URL(admin);
    url.pathname = `/${dbName}`;
    const db = connect(url.toString(), { max: 2 });
    try {
      await migrate(db, { through: '006_debit_function' });
      const ws = 'ws-upgrade';
      await db`INSERT INTO workspaces (id, name, plan, status, billing_anchor)
               VALUES (${ws}, 'Upgrade', 'solo', 'active', now())`;
      const rows: [number, string, string, string, number][] = [
        [1001, 'grant', 'workflow', 'purchase:p-old', 500],
        [1002, 'debit', 'api', 'purchase:p-next', -5],
        [1003, 'grant', 'workflow', `cycle:${ws}:0`, 100],
        [1004, 'debit', 'api', 'order-17', -1],
      ];
      for (const [id, kind, source, key, delta] of rows) {
        await db`INSERT INTO journal (id, workspace_id, kind, delta, balance_after, source, idempotency_key, created_at)
                 VALUES (${id}, ${ws}, ${kind}, ${delta}, 0, ${source}, ${key}, now())`;
        await db`INSERT INTO idempotency_keys (workspace_id, key, request_hash, response)
                 VALUES (${ws}, ${key}, 'old-hash', ${db.json({ lot: { id: String(id) } })})`;
      }
      await migrate(db);
      const ns =
        await db`SELECT key, namespace FROM idempotency_keys WHERE workspace_id = ${ws} ORDER BY key`;
      expect(ns.map((r) => [r.key, r.namespace])).toEqual([
        [`cycle:${ws}:0`, 'system'],
        ['order-17', 'client'],
        ['purchase:p-next', 'client'],
        ['purchase:p-old', 'system'],
      ]);
      // The purchase granted before the upgrade is the same operation after it: no second grant.
      const ledger = new Ledger(db, plainCatalog);
      const err = await ledger.grant(ws, purchaseGrant('p-old')).catch((e: unknown) => e);
      expect(isCreditsError(err) && err.code).toBe('idempotency_conflict');
      // The purchase whose key a client took before the upgrade can now be granted.
      const next = await ledger.grant(ws, purchaseGrant('p-next'));
      expect(next.replayed).toBe(false);
      const [count] = await db`SELECT count(*)::int AS n FROM idempotency_keys WHERE workspace_id = ${ws}`;
      expect(count!.n).toBe(5);
    } finally {
      await db.end();
    }
  });
});
