import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { paidPurchase } from '../support/paid-purchase.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();

describe('"refund purchase-…" in chat', () => {
  it('owners refund the unused part; admins, members and other workspaces are refused, saying why', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    const other = await w.workspace();
    const id = `purchase-${ws.id}-${randomBytes(5).toString('hex')}`;
    await paidPurchase(sql, w.ledger, ws.id, { id });
    await w.ledger.debit(ws.id, { amount: 300, idempotencyKey: 'use-300' });
    const say = (role: 'owner' | 'admin' | 'member', text: string, where = ws) =>
      w.core.answer({
        platform: 'slack',
        teamId: where.team,
        channelId: where.slackChannel,
        userId: where.users[role].slack,
        text,
      });

    expect((await say('member', `refund ${id}`)).intent).toBe('refusal');
    expect((await say('admin', `refund ${id}`)).text).toBe(
      'Only an owner of the workspace can refund a purchase.',
    );
    expect((await say('owner', `refund ${id}`, other)).text).toBe(
      `Not refunded: purchase "${id}" not found.`,
    );
    const done = await say('owner', `Refund ${id}`);
    expect(done).toMatchObject({
      intent: 'refund',
      text: `Refunded its unused part: 700 credits voided, 35.00 USD on its way back (${id} is now partially refunded).`,
    });
    expect((await say('owner', `refund ${id}`)).text).toBe(done.text); // the same request replays
    const second = await w.core.answer({
      platform: 'console',
      workspaceId: ws.id,
      memberId: 'owner',
      text: `refund ${id}`,
    });
    expect(second.text).toBe(`Not refunded: purchase ${id} is already partially refunded.`);
  });
});
