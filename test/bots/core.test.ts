import { describe, expect, it } from 'vitest';
import { buildWeeklyDigest } from '../../application/digest.js';
import { BotCore } from '../../bots/core/core.js';
import { renderNotification } from '../../bots/core/render-notification.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld, DAY, funded } from './support.js';

const sql = useTestDatabase();

describe('balance, renewal, runway, why', () => {
  it('answers the balance: total, by type, what expires when, renewal, runway', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    await w.ledger.grant(ws.id, {
      type: 'purchased',
      amount: 1000,
      reason: 'Small package',
      idempotencyKey: 'p1',
    });
    w.advance(12 * DAY); // Nov 28
    await w.ledger.debit(ws.id, {
      operation: 'image',
      params: { model: 'flux-2-pro' },
      quantity: 5,
      idempotencyKey: 'd1',
      actor: 'member',
      source: 'slack',
    });

    const a = await ws.command('member', 'balance');
    expect(a.intent).toBe('balance');
    expect(a.text).toContain('has 1,380 credits');
    expect(a.text).toContain('By type: monthly 380 · purchased 1,000');
    expect(a.text).toContain('Next expiry: 380 monthly credits expire on Dec 16 (in 18 days)');
    expect(a.text).toContain('Renewal: 980 credits on Dec 16 (in 18 days)');
    expect(a.text).toMatch(
      /Runway: At this pace \(50\/day over the last 12 days\) your credits last past the renewal on Dec 16/,
    );
    expect(a.text).toContain('Monthly credits are used first, because they expire.');
    expect(a.blocks.some((b) => b.type === 'fields')).toBe(true);

    const plain = await ws.ask('viewer', 'how many credits left?');
    expect(plain.intent).toBe('balance');
    expect(plain.text).toContain('1,380 credits');
  });

  it('says when monthly credits reset, and when the credits run out at the last 30 days’ pace', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    w.advance(10 * DAY);
    await w.ledger.debit(ws.id, { amount: 600, idempotencyKey: 'd1', actor: 'member' });
    w.advance(2 * DAY); // Nov 28: 600 used over 12 days = 50/day, 380 left → ~7.6 days
    const renewal = await ws.ask('member', 'when do our monthly credits reset?');
    expect(renewal.text).toContain(
      'Your monthly credits reset on Dec 16 (in 18 days): 980 credits arrive then.',
    );
    expect(renewal.text).toContain(
      "380 credits of this cycle still left expire at that moment — they don't roll over",
    );
    const runway = await ws.ask('member', 'how long will our credits last?');
    expect(runway.intent).toBe('runway');
    expect(runway.text).toMatch(/you run out around Dec 5, 10 days before renewal on Dec 16/);
  });

  it('explains "why is our balance 840?" from the lots and the entries that made it', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    w.advance(DAY);
    await w.ledger.debit(ws.id, {
      operation: 'image',
      params: { model: 'flux-2-pro' },
      idempotencyKey: 'd1',
      actor: 'member',
      source: 'slack',
    });
    await w.ledger.debit(ws.id, {
      operation: 'article-normal',
      quantity: 2,
      idempotencyKey: 'd2',
      actor: 'admin',
      source: 'n8n',
    });
    const a = await ws.ask('member', 'why is our balance 840?');
    expect(a.intent).toBe('why');
    expect(a.text).toContain('Your balance is the credits left in each lot:');
    expect(a.text).toContain(
      '• Monthly: 840 of 980 left, granted Nov 16, expires Dec 16 — Solo cycle Nov 16',
    );
    expect(a.text).toContain('840 = 840 in 1 lot.');
    expect(a.text).toMatch(/−120 {2}Image generation · member · slack → 860/);
    expect(a.text).toMatch(/−20 {2}Article \(Normal Mode\) ×2 · admin · n8n → 840/);
    expect(a.text).toMatch(/\+980 {2}grant \(monthly\): Solo cycle Nov 16/);

    const wrong = await ws.ask('member', 'why is our balance 900?');
    expect(wrong.text).toContain('Your balance is 840 credits now (not 900).');
  });
});

describe('estimates', () => {
  it('prices items with breakdown, affordability and cheaper alternatives', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const a = await ws.command('member', 'estimate', '3 veo 3.1 videos and 20 flux 2 dev images');
    expect(a.intent).toBe('estimate');
    expect(a.text).toContain('3 × Veo 3.1 + 20 × Flux 2 Dev: 13,000 credits.');
    expect(a.text).toContain('You have 980 credits: not enough — 12,020 short.');
    expect(a.text).toContain('Cheaper: Test with Wan 2.5 Fast (60 credits per video) before Veo 3.1');
    expect(a.tone).toBe('danger');
    const fields = a.blocks.find((b) => b.type === 'fields');
    expect(fields).toMatchObject({
      fields: [{ label: '3 × Video generation (Veo 3.1)' }, { label: '20 × Image generation (Flux 2 Dev)' }],
    });
  });

  it('tolerates typos and says how it read them; unknown names get examples, never an error', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const a = await ws.ask('member', 'how much would 5 flux 2 pri images cost?');
    expect(a.text).toContain('5 × Flux 2 Pro: 600 credits.');
    expect(a.text).toContain('Reading "flux 2 pri images" as Flux 2 Pro.');
    const unknown = await ws.command('member', 'estimate', '4 unicorn rides');
    expect(unknown.text).toContain('I don\'t know "unicorn rides". Try names like: Qwen Image');
    const mixed = await ws.command('member', 'estimate', '2 qwen images, 3 hoverboards');
    expect(mixed.text).toContain('2 × Qwen Image: 40 credits.');
    expect(mixed.text).toContain('I don\'t know "hoverboards"');
  });

  it('answers "do we have enough for 10 articles?" and campaign questions', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const yes = await ws.ask('viewer', 'do we have enough for 10 articles?');
    expect(yes.intent).toBe('afford');
    expect(yes.text).toMatch(/^Yes\. 10 × Article \(Normal Mode\): 100 credits\./);
    expect(yes.text).toContain('enough, leaving 880');
    const campaign = await ws.command(
      'member',
      'estimate',
      'a 2-week campaign on 3 platforms, 5 posts a week',
    );
    expect(campaign.text).toContain(
      '3 platforms × 2 weeks × 5 posts a week = 30 posts: 30–90 credits (expected 60).',
    );
    const month = await ws.ask('member', 'can we afford a month-long multi-platform campaign?');
    expect(month.intent).toBe('afford');
    expect(month.text).toContain('Yes. 3 platforms × 4 weeks × 5 posts a week = 60 posts: 60–180 credits');
    expect(month.text).toContain('Assuming 3 platforms, 5 posts a week.');
  });
});

describe('history and usage', () => {
  it('lists the last entries, filtered by an operation named loosely', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    w.advance(DAY);
    await w.ledger.debit(ws.id, {
      operation: 'image',
      params: { model: 'qwen-image' },
      idempotencyKey: 'i1',
      actor: 'member',
    });
    await w.ledger.debit(ws.id, {
      operation: 'video',
      params: { model: 'wan-2-5-fast' },
      idempotencyKey: 'v1',
      actor: 'admin',
    });
    const all = await ws.command('member', 'history');
    expect(all.text.split('\n')[0]).toBe(`Last 3 entries of Acme ${ws.id.slice(-4)}:`);
    const videos = await ws.command('member', 'history', 'videso');
    expect(videos.text).toContain('Last 1 Video generation entry');
    expect(videos.text).toContain('−60  Video generation · admin');
    expect(videos.text).not.toContain('Image generation');
    const none = await ws.ask('member', 'history of speech');
    expect(none.text).toBe('No Speech generation entries yet.');
  });

  it('sums usage of the last 30 days by member and by operation', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    await w.ledger.debit(ws.id, { amount: 5, idempotencyKey: 'old', actor: 'member' });
    w.advance(31 * DAY);
    await w.ledger.grant(ws.id, { type: 'purchased', amount: 500, reason: 'top up', idempotencyKey: 'p' });
    await w.ledger.debit(ws.id, {
      operation: 'image',
      params: { model: 'flux-2-dev' },
      quantity: 2,
      idempotencyKey: 'a',
      actor: 'member',
    });
    await w.ledger.debit(ws.id, { operation: 'article-pro', idempotencyKey: 'b', actor: 'admin' });
    await w.ledger.debit(ws.id, { operation: 'article-pro', idempotencyKey: 'c', actor: 'member' });
    const a = await ws.ask('admin', 'usage');
    expect(a.intent).toBe('usage');
    expect(a.text).toContain('used 140 credits in the last 30 days');
    expect(a.text).toContain('• Member Person: 120 (2 debits)');
    expect(a.text).toContain('• Admin Person: 20 (1 debit)');
    expect(a.text).toContain('• Image generation: 100 (1×)');
    expect(a.text).toContain('• Article (Pro Mode): 40 (2×)');
    // "who used the most" is now the top spender of the window, ranked by member.
    const top = await ws.ask('admin', 'who used the most credits?');
    expect(top.text).toMatch(/Member Person/);
    expect(top.text.indexOf('Member Person')).toBeLessThan(top.text.indexOf('Admin Person'));
  });
});

describe('identity and refusals', () => {
  it('refuses unlinked teams and users, naming what to link; a member of A never sees B', async () => {
    const w = botWorld(sql);
    const a = await funded(w);
    const b = await funded(w);
    const unlinkedTeam = await w.core.answer({
      platform: 'slack',
      teamId: 'TNOPE',
      channelId: 'C1',
      userId: 'U1',
      text: 'balance',
    });
    expect(unlinkedTeam).toMatchObject({ intent: 'refusal', ephemeral: true });
    expect(unlinkedTeam.text).toContain(
      'POST /v1/workspaces/{workspace}/chat-links {"platform":"slack","team":"TNOPE","channel":"C1"}',
    );
    const stranger = await w.core.answer({
      platform: 'slack',
      teamId: a.team,
      channelId: a.slackChannel,
      userId: 'USTRANGER',
      text: 'balance',
    });
    expect(stranger.text).toContain(`"slackUserId": "USTRANGER"`);
    // A's owner asking in B's team is not a member of B: refused, B's balance is not shown.
    const cross = await w.core.answer({
      platform: 'slack',
      teamId: b.team,
      channelId: b.slackChannel,
      userId: a.users.owner.slack,
      text: 'balance',
    });
    expect(cross.intent).toBe('refusal');
    expect(cross.text).toContain(`not linked to a member of workspace "${b.id}"`);
    // A channel linked to A inside B's team answers about A (channel link wins over the team link).
    await w.directory.linkChat(a.id, { platform: 'slack', team: b.team, channel: 'CSHARED' });
    const shared = await w.core.answer({
      platform: 'slack',
      teamId: b.team,
      channelId: 'CSHARED',
      userId: b.users.owner.slack,
      text: 'balance',
    });
    expect(shared.text).toContain(`not linked to a member of workspace "${a.id}"`);
  });

  it('answers unknown text with help, and an internal failure with a reference, never a stack trace', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const h = await ws.ask('member', 'tell me a joke');
    expect(h.intent).toBe('help');
    // Unsure and most likely nothing it answers: the help, saying so (never a guess).
    expect(h.text).toContain('I didn\'t understand "tell me a joke". Here is what I can answer:');
    expect(h.text).toContain('estimate 3 veo 3.1 videos');
    expect(h.text).toContain('`web` — a sign-in link to the web console');
    const broken = new BotCore({
      ...w.core.deps,
      purchases: {
        ...w.purchases,
        request: async () => {
          throw new Error('boom at line 42');
        },
      } as never,
    });
    const a = await broken.answer({
      platform: 'slack',
      teamId: ws.team,
      channelId: ws.slackChannel,
      userId: ws.users.owner.slack,
      text: 'buy small',
    });
    expect(a.intent).toBe('error');
    expect(a.text).toMatch(/^Something went wrong on our side \(ref \w+\); please try again in a moment\.$/);
    expect(a.text).not.toContain('boom');
  });

  it('console identities name the member directly', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    const ok = await w.core.answer({
      platform: 'console',
      workspaceId: ws.id,
      memberId: 'owner',
      text: 'balance',
    });
    expect(ok.text).toContain('980 credits');
    const missing = await w.core.answer({
      platform: 'console',
      workspaceId: ws.id,
      memberId: 'ghost',
      text: 'balance',
    });
    expect(missing.text).toContain('There is no member "ghost"');
  });
});

describe('weekly digest', () => {
  it('builds the DigestNotification: spent by member and operation, what expires soon', async () => {
    const w = botWorld(sql);
    const ws = await funded(w);
    w.advance(20 * DAY); // Dec 6
    await w.ledger.debit(ws.id, {
      operation: 'image',
      params: { model: 'flux-2-dev' },
      idempotencyKey: 'a',
      actor: 'member',
    });
    await w.ledger.debit(ws.id, {
      operation: 'video',
      params: { model: 'wan-2-5-fast' },
      idempotencyKey: 'b',
      actor: 'admin',
    });
    const digest = await buildWeeklyDigest(w.core.deps, ws.id, w.now());
    expect(digest).toMatchObject({
      kind: 'digest',
      id: `digest:${ws.id}:2026-W49`,
      workspaceId: ws.id,
      digest: {
        spent: 110,
        byMember: [
          { key: 'Admin Person', used: 60 },
          { key: 'Member Person', used: 50 },
        ],
        byOperation: [
          { key: 'Video generation', used: 60 },
          { key: 'Image generation', used: 50 },
        ],
        expiringSoon: [{ amount: 870, at: '2026-12-16T00:00:00.000Z', type: 'subscription' }],
        balance: 870,
      },
    });
    const rendered = await renderNotification(w.core, digest);
    expect(rendered.text).toContain(
      'Weekly credits digest (Nov 29 – Dec 6): 110 credits spent; balance 870.',
    );
    expect(rendered.text).toContain('• 870 monthly on Dec 16 (in 10 days)');
  });
});
