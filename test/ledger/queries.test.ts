import { describe, expect, it } from 'vitest';
import { connect } from '../../ledger/db.js';
import { Ledger } from '../../ledger/ledger.js';
import { plainCatalog } from '../support/catalog.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';

const sql = useTestDatabase();

describe('ledger read methods', () => {
  it('finds the lot a grant created by its idempotency key, whatever the body, and only for grants', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const g = await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 70,
      reason: 'cycle',
      idempotencyKey: 'cycle:1',
    });
    await t.ledger.debit(ws, { amount: 5, idempotencyKey: 'd1' });
    expect(await t.ledger.grantedLot(ws, 'cycle:1')).toEqual({ id: g.lot.id, amount: 70 });
    expect(await t.ledger.grantedLot(ws, 'cycle:2')).toBeNull();
    // A debit's key names no lot; another workspace's key is not this one's.
    expect(await t.ledger.grantedLot(ws, 'd1')).toBeNull();
    const other = await t.workspace();
    expect(await t.ledger.grantedLot(other, 'cycle:1')).toBeNull();
  });

  it('sums what is left in given lots, and at a cycle end what they left unused, before and after expiry', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const a = await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 100,
      expiresAt: new Date(t.now().getTime() + DAY),
      reason: 'cycle',
      idempotencyKey: 'a',
    });
    const b = await t.ledger.grant(ws, {
      type: 'promotional',
      amount: 50,
      reason: 'promo',
      idempotencyKey: 'b',
    });
    await t.ledger.debit(ws, { amount: 30, idempotencyKey: 'd' });
    expect(await t.ledger.remainingInLots(ws, [a.lot.id])).toBe(70);
    expect(await t.ledger.remainingInLots(ws, [a.lot.id, b.lot.id])).toBe(120);
    expect(await t.ledger.remainingInLots(ws, [])).toBe(0);
    const other = await t.workspace();
    expect(await t.ledger.remainingInLots(other, [a.lot.id])).toBe(0);
  });

  it('reports recent usage per UTC day from the rollup: 30 whole days plus today, debits minus reversals, and the first grant', async () => {
    const t = testLedger(sql); // 2026-11-01T00:00Z
    const ws = await t.workspace();
    expect(await t.ledger.recentUsage(ws, t.now())).toEqual({
      from: new Date('2026-10-02T00:00:00Z'),
      perDay: [],
      used: 0,
      firstGrantAt: null,
    });
    const start = t.now();
    await t.ledger.grant(ws, { type: 'promotional', amount: 1000, reason: 'x', idempotencyKey: 'g' });
    await t.ledger.debit(ws, { amount: 7, idempotencyKey: 'd0' }); // Nov 1
    t.advance(DAY + 3_600_000); // Nov 2, 01:00
    const d = await t.ledger.debit(ws, { amount: 40, idempotencyKey: 'd1' });
    t.advance(DAY); // Nov 3: the refund counts on the day it happens
    await t.ledger.reverse(d.transaction.id, { idempotencyKey: 'r1', amount: 10 });
    await t.ledger.debit(ws, { amount: 5, idempotencyKey: 'd2' });
    await t.ledger.adjust(ws, { amount: -3, reason: 'fix', idempotencyKey: 'adj' });
    const hold = await t.ledger.placeHold(ws, { amount: 20, idempotencyKey: 'h' });
    await t.ledger.capture(hold.hold.id, { amount: 12, idempotencyKey: 'c' });
    expect(await t.ledger.recentUsage(ws, t.now())).toEqual({
      from: new Date('2026-10-04T00:00:00Z'),
      perDay: [
        { day: '2026-11-01', used: 7 },
        { day: '2026-11-02', used: 40 },
        { day: '2026-11-03', used: 7 },
      ],
      used: 54,
      firstGrantAt: start,
    });
    // Nov 1 is 31 days before Dec 2 (out of a 30-day window), 30 days before Dec 1 (in it).
    expect((await t.ledger.recentUsage(ws, new Date('2026-12-02T23:59:59Z'))).used).toBe(47);
    expect((await t.ledger.recentUsage(ws, new Date('2026-12-01T00:00:00Z'))).used).toBe(54);
    expect((await t.ledger.recentUsage(ws, new Date('2026-11-03T12:00:00Z'), 0)).perDay).toEqual([
      { day: '2026-11-03', used: 7 },
    ]);
    // Days after `now` are not in the window.
    expect((await t.ledger.recentUsage(ws, new Date('2026-11-02T00:00:00Z'), 1)).used).toBe(47);
    await expect(t.ledger.recentUsage(ws, t.now(), 400)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('pings the database, and throws when it cannot be reached', async () => {
    const t = testLedger(sql);
    await expect(t.ledger.ping()).resolves.toBeUndefined();
    const dead = connect('postgres://postgres@127.0.0.1:1/none', { max: 1, connectTimeoutSeconds: 1 });
    try {
      await expect(new Ledger(dead, plainCatalog).ping()).rejects.toThrow();
    } finally {
      await dead.end({ timeout: 1 });
    }
  });
});

describe('directory read methods', () => {
  it('resolves a chat identity: the channel link wins over the team link, the member by platform user id', async () => {
    const t = testLedger(sql);
    const teamWs = await t.workspace();
    const channelWs = await t.workspace();
    const team = uniqueId('T');
    await t.directory.linkChat(teamWs, { platform: 'slack', team });
    await t.directory.linkChat(channelWs, { platform: 'slack', team, channel: 'C1' });
    const ana = await t.directory.addMember(channelWs, {
      id: 'ana',
      name: 'Ana',
      role: 'admin',
      slackUserId: 'U_ANA',
      discordUserId: 'D_ANA',
    });
    expect(
      await t.directory.chatIdentity({ platform: 'slack', team, channel: 'C1', userId: 'U_ANA' }),
    ).toEqual({
      workspaceId: channelWs,
      workspaceName: channelWs,
      member: ana,
    });
    // Another channel of the team falls back to the team's link; Ana is not a member there.
    expect(
      await t.directory.chatIdentity({ platform: 'slack', team, channel: 'C2', userId: 'U_ANA' }),
    ).toEqual({
      workspaceId: teamWs,
      workspaceName: teamWs,
      member: null,
    });
    expect(await t.directory.chatIdentity({ platform: 'slack', team, userId: 'U_X' })).toMatchObject({
      workspaceId: teamWs,
      member: null,
    });
    // The member is matched by the asking platform's id only.
    expect(
      await t.directory.chatIdentity({ platform: 'slack', team, channel: 'C1', userId: 'D_ANA' }),
    ).toMatchObject({ workspaceId: channelWs, member: null });
    expect(await t.directory.chatIdentity({ platform: 'discord', team, userId: 'D_ANA' })).toBeNull();
    expect(
      await t.directory.chatIdentity({ platform: 'slack', team: uniqueId('T'), userId: 'U_ANA' }),
    ).toBeNull();
  });

  it('lists running, auto top-up and chat-linked workspaces, and finds a workspace or null', async () => {
    const t = testLedger(sql);
    const active = await t.workspace();
    const canceled = await t.workspace();
    await t.directory.updateWorkspace(canceled, { status: 'canceled' });
    await t.directory.updateWorkspace(active, { settings: { autoTopUp: { enabled: true } } });
    await t.directory.updateWorkspace(canceled, { settings: { autoTopUp: { enabled: true } } });
    const running = await t.directory.runningWorkspaceIds();
    expect(running).toContain(active);
    expect(running).not.toContain(canceled);
    expect(running).toEqual([...running].sort());
    const autoTopUp = await t.directory.autoTopUpWorkspaceIds();
    expect(autoTopUp).toContain(active);
    expect(autoTopUp).not.toContain(canceled);

    const team = uniqueId('T');
    const teamOnly = await t.workspace();
    await t.directory.linkChat(teamOnly, { platform: 'slack', team });
    await t.directory.linkChat(active, { platform: 'discord', team, channel: 'C' });
    await t.directory.linkChat(canceled, { platform: 'slack', team, channel: 'C' });
    const withChannels = await t.directory.workspacesWithChannels({ after: null, limit: 10_000 });
    expect(withChannels).toContain(active);
    expect(withChannels).not.toContain(teamOnly);
    expect(withChannels).not.toContain(canceled);
    const page = await t.directory.workspacesWithChannels({ after: active, limit: 1 });
    expect(page.length).toBeLessThanOrEqual(1);
    if (page[0]) expect(page[0] > active).toBe(true);

    expect((await t.directory.findWorkspace(active))?.id).toBe(active);
    expect(await t.directory.findWorkspace(uniqueId())).toBeNull();
    expect(await t.directory.hasWorkspaces()).toBe(true);
  });
});
