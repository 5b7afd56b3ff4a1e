import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purchases } from '../../application/purchases.js';
import { startConsole } from '../../bots/console.js';
import { chatPurchases } from '../../runtime/chat-purchases.js';
import { loadConfig } from '../../runtime/config.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { recordedTemporal, removeTemporalState, writeTemporalState } from '../../runtime/temporal-state.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
let running: RunningWorker;
const taskQueue = uniqueId('console-approval');

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue,
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

/** A console as `member` of `ws`: `say` a line and wait for the answer matching `expectText`. */
function session(ws: string, member: string, purchases: Purchases | undefined) {
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = '';
  output.on('data', (d) => {
    seen += d.toString();
  });
  const done = startConsole(ctx, { workspace: ws, member, purchases, input, output });
  const say = async (line: string, expectText: RegExp) => {
    const from = seen.length;
    input.write(`${line}\n`);
    return eventually(
      async () => expectText.exec(seen.slice(from))?.[0],
      15_000,
      `"${line}" → ${expectText}`,
    );
  };
  const end = async () => {
    input.end();
    await done;
  };
  return { say, end };
}

/** Where there are no buttons: `pending`, then `approve <purchase>`, as the console's member, on the real dev server. */
describe('approvals from the console', () => {
  it('an owner buys, lists what is pending, approves it, and the credits arrive; a member may not approve', async () => {
    const ws = uniqueId('console');
    await ctx.directory.createWorkspace({ id: ws, name: 'Console Co', plan: 'business', status: 'active' });
    await ctx.directory.addMember(ws, { id: 'owner', name: 'Oona', role: 'owner' });
    await ctx.directory.addMember(ws, { id: 'mem', name: 'Mel', role: 'member' });
    const owner = session(ws, 'owner', running.purchases);
    await owner.say('buy small', /Purchase requested: Small/);
    const listed = await owner.say('pending', /purchase-\S+: Small/);
    const id = listed.split(':')[0]!;
    expect(id).toMatch(/^purchase-/);

    const member = session(ws, 'mem', running.purchases);
    await member.say(`approve ${id}`, /Only an owner or admin can decide purchases; you are a member/);
    await member.end();

    await owner.say(`approve ${id}`, /Approved by Oona|Done: Small/);
    await eventually(async () => (await running.purchases.get(id, {})).status === 'completed', 20_000);
    const done = await running.purchases.get(id, {});
    expect(done).toMatchObject({ decidedBy: 'owner', decidedVia: 'console' });
    expect((await ctx.ledger.balance(ws)).byType.purchased).toBe(1000);
    await owner.say('pending', /No purchase of Console Co is waiting for approval/);
    await owner.end();
  }, 60_000);

  it('credits chat in a second terminal finds the dev server npm start recorded, and buys and approves through it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'credits-chat-'));
    mkdirSync(join(dataDir, 'temporal'));
    try {
      const config = loadConfig({ CREDITS_DATA_DIR: dataDir, TEMPORAL_TASK_QUEUE: taskQueue });
      const none = await chatPurchases(ctx, config);
      expect(none.purchases).toBeUndefined();
      const target = { address: temporal.env().address, namespace: 'default' };
      // A recording left by a process that is gone is ignored.
      writeTemporalState(dataDir, target, spawnSync('true').pid!);
      expect(recordedTemporal(dataDir)).toBeNull();
      writeTemporalState(dataDir, target);
      expect(recordedTemporal(dataDir)).toEqual(target);

      const chat = await chatPurchases(ctx, config);
      expect(chat.purchases).toBeDefined();
      const ws = uniqueId('chat');
      await ctx.directory.createWorkspace({ id: ws, name: 'Chat Co', plan: 'business', status: 'active' });
      await ctx.directory.addMember(ws, { id: 'owner', name: 'Oona', role: 'owner' });
      const owner = session(ws, 'owner', chat.purchases);
      const requested = await owner.say('buy small', /Purchase requested: Small.*approve purchase-\S+/);
      expect(requested).not.toContain('Purchases need the worker');
      const id = /approve (purchase-\S+)/.exec(requested)![1]!;
      await owner.say(`approve ${id}`, /Approved by Oona|Done: Small/);
      await eventually(async () => (await running.purchases.get(id, {})).status === 'completed', 20_000);
      expect((await ctx.ledger.balance(ws)).byType.purchased).toBe(1000);
      await owner.end();
      await chat.close();
      removeTemporalState(dataDir);
      expect(recordedTemporal(dataDir)).toBeNull();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
