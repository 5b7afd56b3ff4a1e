import { describe, expect, it } from 'vitest';
import type { ChatAction } from '../../application/policies.js';
import { type AnswerParams, ask } from '../../bots/core/answers/index.js';
import { recommendPackage } from '../../bots/core/answers/need-credits.js';
import { BUY_ACTION } from '../../bots/core/types.js';
import type { Role } from '../../ledger/types.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld, DAY } from './support.js';

const sql = useTestDatabase();

/** Asks `action` with typed parameters through the core's answer context, as `role` (console or Slack). */
async function asking(
  w: ReturnType<typeof botWorld>,
  workspaceId: string,
  role: Role,
  platform: 'console' | 'slack' = 'console',
) {
  const asker = { platform: 'console' as const, workspaceId, memberId: role };
  const who = await w.core.identify(asker);
  if (!who.ok) throw new Error(who.answer.text);
  const ctx = { ...w.core.contextFor(who.identity, asker, w.now()), platform };
  return <A extends ChatAction>(action: A, params?: AnswerParams<A>) =>
    (ask as (c: typeof ctx, a: A, p?: AnswerParams<A>) => ReturnType<typeof ask>)(ctx, action, params);
}

async function funded(w: ReturnType<typeof botWorld>, purchased = 1000) {
  const ws = await w.workspace();
  await w.ledger.grant(ws.id, {
    type: 'subscription',
    amount: 980,
    expiresAt: new Date('2026-12-16T00:00:00Z'),
    reason: 'Solo cycle Nov 16',
    idempotencyKey: 'cycle-1',
    source: 'workflow',
  });
  if (purchased > 0)
    await w.ledger.grant(ws.id, {
      type: 'purchased',
      amount: purchased,
      reason: 'Small package',
      idempotencyKey: 'p1',
      source: 'api',
    });
  return ws;
}

describe('usage in a window', () => {
  it('counts only the window, by member, by operation and ranked; the same numbers as the ledger query', async () => {
    const w = botWorld(sql, new Date('2026-11-16T09:00:00Z'));
    const ws = await funded(w, 5000);
    const image = (actor: string, model: string, quantity: number, key: string) =>
      w.ledger.debit(ws.id, {
        operation: 'image',
        params: { model },
        quantity,
        actor,
        source: 'api',
        idempotencyKey: key,
      });
    await image('member:owner', 'qwen-image', 25, 'old'); // 500, a week before the window
    w.advance(7 * DAY);
    await image('member:member', 'flux-2-pro', 1, 'a'); // 120
    await w.ledger.debit(ws.id, { amount: 40, actor: 'member:member', source: 'api', idempotencyKey: 'b' });
    await image('admin', 'qwen-image', 15, 'c'); // 300
    w.advance(DAY);
    const q = await asking(w, ws.id, 'viewer');
    const window = {
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-24T00:00:00Z'),
      label: 'on Monday',
    };
    const viaLedger = await w.core.deps.reports.usage(ws.id, { groupBy: 'actor', ...window });
    expect(viaLedger.total).toBe(460);

    const bySam = await q('usage', { window, member: 'member' });
    expect(bySam.text).toContain('Member Person used 160 credits on Monday');
    expect(bySam.text).toContain('of 460 used');

    const images = await q('usage', { window, operation: 'image' });
    expect(images.text).toMatch(
      /used 420 credits on Image generation on Monday .*\(2 debits\), of 460 in all/,
    );

    const top = await q('usage', { window, groupBy: 'member' });
    expect(top.text).toMatch(/^Top spender on Monday \(.*Nov 23\): Admin Person with 300 credits of 460/);
    expect(top.text).not.toContain('Owner Person');

    const bySource = await q('usage', { window, source: 'slack' });
    expect(bySource.text).toContain('counts every source, not only slack');

    const empty = await q('usage', {
      window: {
        from: new Date('2026-11-20T00:00:00Z'),
        to: new Date('2026-11-21T00:00:00Z'),
        label: 'on Friday',
      },
    });
    expect(empty.text).toContain('used no credits on Friday');
  });
});

describe('plan, credit types, auto top-up, keys, more credits, small talk', () => {
  it('tells the plan and the subscription status, and subscription versus purchased credits', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const q = await asking(w, ws.id, 'viewer');
    const plan = await q('plan');
    expect(plan.text).toMatch(/is on the Solo plan; the subscription is active/);
    expect(plan.text).toContain('980 credits each month');
    const types = await q('creditTypes');
    expect(types.text).toContain('1,980 credits: 980 subscription and 1,000 purchased');
    expect(types.text).toMatch(/expire on .*Dec 16/);
  });

  it('shows auto top-up to all; admins set it through the use case, with its checks; members are refused', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const viewer = await asking(w, ws.id, 'viewer');
    expect((await viewer('autoTopUp')).text).toContain('Auto top-up is not set up');
    const member = await asking(w, ws.id, 'member');
    const refused = await member('setAutoTopUp', { enabled: true, below: 200, package: 'small' });
    expect(refused.intent).toBe('refusal');
    const admin = await asking(w, ws.id, 'admin');
    expect((await admin('setAutoTopUp', { enabled: true })).text).toContain(
      'say below which balance and which package',
    );
    const bad = await admin('setAutoTopUp', { below: 0, package: 'small' });
    expect(bad.text).toContain("doesn't work: below must be a whole number");
    const set = await admin('setAutoTopUp', { below: 200, package: 'small', monthlyBudget: 0 });
    expect(set.text).toContain('now on: when the balance falls below 200 credits, buy Small');
    expect((await viewer('autoTopUp')).text).toMatch(/^Auto top-up is on/);
    const audit = await w.ledger.audit.list(ws.id, { action: 'auto_top_up.changed' });
    expect(audit.items[0]).toMatchObject({ actor: 'member:admin', channel: 'console' });
    const off = await admin('setAutoTopUp', { enabled: false });
    expect(off.text).toContain('is now off');
  });

  it('lists API keys for admins without secrets; members are refused', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const { key } = await w.ledger.apiKeys.create({
      workspaceId: ws.id,
      name: 'n8n production',
      scopes: ['balance:read', 'credits:spend'],
      memberId: null,
      expiresAt: null,
      audit: { actor: 'operator', channel: 'api' },
    });
    const admin = await asking(w, ws.id, 'admin');
    const list = await admin('keys');
    expect(list.text).toContain('n8n production');
    expect(list.text).toContain('balance:read, credits:spend; never used');
    expect(list.text).not.toContain(key);
    expect((await (await asking(w, ws.id, 'member'))('keys')).intent).toBe('refusal');
  });

  it('recommends a package from the pace and the runway, with a buy button for requesters only', async () => {
    const w = botWorld(sql);
    const ws = await funded(w, 0);
    for (let d = 0; d < 10; d++) {
      await w.ledger.debit(ws.id, { amount: 90, source: 'api', idempotencyKey: `d${d}` });
      w.advance(DAY);
    }
    // 80 left, 90 a day, 20 days to the renewal on Dec 16: about 1,800 needed → Small is not enough, Medium is.
    const member = await asking(w, ws.id, 'member', 'slack');
    const more = await member('needCredits');
    expect(more.text).toMatch(
      /At 90 credits a day you need about 1,800 until the renewal on .*Dec 16.*you have 80: about 1,720 short\. Medium/,
    );
    const buttons = more.blocks.find((b) => b.type === 'buttons');
    expect(buttons).toEqual({
      type: 'buttons',
      buttons: [{ actionId: BUY_ACTION, label: 'Buy Medium', value: 'medium', style: 'primary' }],
    });
    const viewer = await asking(w, ws.id, 'viewer', 'slack');
    expect((await viewer('needCredits')).blocks.some((b) => b.type === 'buttons')).toBe(false);
    const consoleAsk = await asking(w, ws.id, 'member');
    const typed = await consoleAsk('needCredits');
    expect(typed.text).toContain('Request it with `buy medium`');
    expect(typed.blocks.some((b) => b.type === 'buttons')).toBe(false);
    expect(recommendPackage(w.catalog.packages, 25_000)).toMatchObject({ pkg: { key: 'large' }, count: 3 });
  });

  it('answers greetings and thanks briefly, not with the help text', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const q = await asking(w, ws.id, 'viewer');
    const hi = await q('smallTalk', { kind: 'greeting' });
    expect(hi.text).toMatch(/^Hi Viewer!/);
    expect(hi.text.split('\n')).toHaveLength(1);
    expect((await q('smallTalk', { kind: 'thanks' })).text).toBe('You’re welcome!');
  });

  it('states the exact quantity it priced, and says no when the balance is short', async () => {
    const w = botWorld(sql);
    const ws = await funded(w, 0);
    const q = await asking(w, ws.id, 'viewer');
    const veo = w.catalog.operations.find((o) => o.key === 'video');
    expect(veo).toBeDefined();
    const answer = await q('estimate', {
      items: [{ operation: 'video', quantity: 3, params: { model: 'veo-3-1' }, label: 'Veo 3.1' }],
      afford: true,
      notes: [],
    });
    expect(answer.text).toMatch(/^No\. 3 × Veo 3\.1: /);
  });
});
