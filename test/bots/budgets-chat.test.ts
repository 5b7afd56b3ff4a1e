import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();
const w = botWorld(sql);
let ws: Awaited<ReturnType<typeof w.workspace>>;

beforeAll(async () => {
  ws = await w.workspace();
  await w.ledger.grant(ws.id, {
    type: 'promotional',
    amount: 5000,
    reason: 'start',
    idempotencyKey: 'start',
  });
});

describe('budgets in chat', () => {
  it('an owner limits a member; a member may not; everyone reads them; the audit says who set it', async () => {
    const refused = await ws.ask('member', 'limit Member Person to 500 credits a month');
    expect(refused.intent).toBe('refusal');
    expect(refused.text).toContain('Only an owner or admin can set budgets');

    const set = await ws.ask('owner', 'limit Member Person to 500 credits a month');
    expect(set.text).toMatch(
      /^Budget set: Member Person: 0 of 500 credits monthly used \(0 %\), 500 left, resets /,
    );
    const [entry] =
      await sql`SELECT actor, channel FROM audit_log WHERE workspace_id = ${ws.id} AND action LIKE 'budget.%'`;
    expect(entry).toMatchObject({ actor: 'member:owner', channel: 'slack' });

    // Saying it again changes the same budget instead of adding a second one.
    const changed = await ws.ask('owner', 'limit Member Person to 600 credits a month');
    expect(changed.text).toContain('0 of 600 credits monthly');
    await w.ledger.debit(ws.id, { amount: 150, idempotencyKey: 'd1', spender: { memberId: 'member' } });

    const used = await ws.ask('viewer', 'how much of his budget has Member Person used');
    expect(used.text).toContain('Budget of Member Person:');
    expect(used.text).toContain('150 of 600 credits monthly used (25 %), 450 left');
    const all = await ws.ask('viewer', 'what are our budgets');
    expect(all.text).toContain(`Budgets of ${(await w.directory.workspace(ws.id)).name}:`);
    expect(all.text).toContain('Member Person: 150 of 600');
  });

  it('"raise my budget by 200 for the launch" asks for the asker\'s own budget (here without the flow: says so)', async () => {
    const none = await ws.ask('admin', 'raise my budget by 200 for the launch');
    expect(none.text).toContain('You have no budget of your own to raise');
    const noFlow = await ws.ask('member', 'raise my budget by 200 for the launch');
    expect(noFlow.text).toContain("I couldn't ask for that raise: budget raises need the Temporal worker");
    const viewer = await ws.ask('viewer', 'raise my budget by 200 for the launch');
    expect(viewer.intent).toBe('refusal');
  });
});
