import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole } from '../../bots/console.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('console-approval'),
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

/** Where there are no buttons: `pending`, then `approve <purchase>`, as the console's member, on the real dev server. */
describe('approvals from the console', () => {
  it('an owner buys, lists what is pending, approves it, and the credits arrive; a member may not approve', async () => {
    const ws = uniqueId('console');
    await ctx.directory.createWorkspace({ id: ws, name: 'Console Co', plan: 'business', status: 'active' });
    await ctx.directory.addMember(ws, { id: 'owner', name: 'Oona', role: 'owner' });
    await ctx.directory.addMember(ws, { id: 'mem', name: 'Mel', role: 'member' });
    const session = (member: string) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let seen = '';
      output.on('data', (d) => {
        seen += d.toString();
      });
      const done = startConsole(ctx, { workspace: ws, member, purchases: running.purchases, input, output });
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
    };

    const owner = session('owner');
    await owner.say('buy small', /Purchase requested: Small/);
    const listed = await owner.say('pending', /purchase-\S+: Small/);
    const id = listed.split(':')[0]!;
    expect(id).toMatch(/^purchase-/);

    const member = session('mem');
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
});
