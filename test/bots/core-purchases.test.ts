import { describe, expect, it } from 'vitest';
import { BotCore } from '../../bots/core/core.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld, funded } from './support.js';

// The core's purchases, alerts and audit answers (split from core.test.ts to keep files short).
const sql = useTestDatabase();

describe('buy and approvals', () => {
  it('starts the purchase flow for a member, tolerating typos; viewers may not buy', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const viewer = await ws.command('viewer', 'buy', 'small');
    expect(viewer).toMatchObject({ intent: 'refusal', ephemeral: true });
    expect(viewer.text).toContain('Viewers can ask but not buy');
    expect(w.purchases.calls).toEqual([]);

    const a = await ws.ask('member', 'please buy the meduim package');
    expect(a.intent).toBe('buy');
    expect(a.text).toMatch(
      /^Purchase requested \(reading "meduim" as Medium\): Medium — 5,000 credits for \$250\.00\. An owner or admin approves it with the Approve button on the approval message by .+ UTC; nothing is charged before that\.$/,
    );
    expect(w.purchases.calls).toEqual([
      { method: 'request', args: [ws.id, { package: 'medium', requestedBy: 'member', source: 'slack' }] },
    ]);
    const unknown = await ws.command('member', 'buy', 'gigantic');
    // No package named: the list to choose from (the understanding layer reads no package in "gigantic").
    expect(unknown.text).toContain(
      'Packages: small (1,000 credits, $50.00), medium (5,000 credits, $250.00), large (10,000 credits, $500.00).',
    );
  });

  it('refuses a trial workspace with the service’s reason, and says the worker is needed without one', async () => {
    const w = botWorld(sql);
    const trial = await w.workspace({ plan: 'trial', status: 'trialing' });
    const a = await trial.command('owner', 'buy', 'small');
    expect(a.text).toContain(
      "I couldn't request Small: only a workspace with an active paid subscription can buy",
    );
    const ws = await funded(w);
    const bare = new BotCore({ ...w.core.deps, purchases: undefined });
    const b = await bare.answer({
      platform: 'slack',
      teamId: ws.team,
      channelId: ws.slackChannel,
      userId: ws.users.owner.slack,
      command: 'buy',
      args: 'small',
    });
    expect(b.text).toContain('Purchases need the worker');
  });

  it('lets only owners and admins approve; the answer is the updated approval message', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    await ws.command('member', 'buy', 'small');
    const id = [...w.purchases.items.keys()][0]!;
    const asker = (role: 'member' | 'admin' | 'viewer') => ({
      platform: 'discord' as const,
      teamId: ws.guild,
      channelId: ws.discordChannel,
      userId: ws.users[role].discord,
    });
    const member = await w.core.decide(asker('member'), id, 'approve');
    expect(member.ok).toBe(false);
    expect(member.answer.text).toBe(
      `Only an owner or admin can approve purchases; you are a member of Acme ${ws.id.slice(-4)}.`,
    );
    expect(w.purchases.calls.filter((c) => c.method === 'approve')).toEqual([]);
    const admin = await w.core.decide(asker('admin'), id, 'approve');
    expect(admin.ok).toBe(true);
    expect(admin.answer.text).toBe(
      'Approved by Admin Person: Small — 1,000 credits for $50.00. Processing the payment…',
    );
    expect(admin.answer.blocks.some((b) => b.type === 'buttons')).toBe(false);
    const again = await w.core.decide(asker('admin'), id, 'reject');
    expect(again.ok).toBe(false);
    expect(again.answer.text).toContain('is already approved');
  });
});

describe('alerts', () => {
  it('shows thresholds to anyone; only owners and admins change them', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const show = await ws.command('viewer', 'alerts');
    expect(show.text).toContain('low 100 credits, critical 10 credits and depleted 0');
    expect(show.text).toContain(`Slack channel ${ws.slackChannel}`);
    const refused = await ws.command('member', 'alerts', 'low 200 critical 20');
    expect(refused).toMatchObject({ intent: 'refusal', ephemeral: true });
    expect((await w.directory.workspace(ws.id)).settings).toEqual({});
    const bad = await ws.command('admin', 'alerts', 'low 5 critical 20');
    expect(bad.text).toContain('must be above the critical one');
    const set = await ws.ask('owner', 'set alerts low 250 critical 25');
    expect(set.text).toContain('low at 250 credits, critical at 25 credits');
    expect((await w.directory.workspace(ws.id)).settings).toEqual({
      alerts: { thresholds: { low: 250, critical: 25 } },
    });
    expect((await ws.command('viewer', 'alerts')).text).toContain('low 250 credits, critical 25 credits');
  });
});

describe('who changed what', () => {
  it('answers "who changed our alerts?" from the audit log, to owners and admins only', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    await ws.ask('owner', 'set alerts low 250 critical 25');
    const answer = await ws.ask('admin', 'who changed our alerts?');
    expect(answer.text).toContain('Owner Person changed the alert thresholds via slack');
    expect(answer.text).toContain('"low":250');
    const viewer = await ws.ask('viewer', 'who changed our alerts?');
    expect(viewer).toMatchObject({ intent: 'refusal' });
    expect(viewer.text).toContain('Only an owner or admin can see who changed what');
  });
});
