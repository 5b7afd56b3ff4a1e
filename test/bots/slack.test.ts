import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION, REJECT_ACTION } from '../../bots/core/types.js';
import { createSlackBot, type SlackBot } from '../../bots/slack/app.js';
import { useTestDatabase } from '../support/db.js';
import { FakeSlackApi, type SlackSender, serveListener, slackSender } from './fakes/slack.js';
import { expectUsageChartPng, pngHeader } from './png.js';
import { botWorld, DAY } from './support.js';

const sql = useTestDatabase();
const SECRET = 'test-signing-secret-0123456789';

const w = botWorld(sql);
const slack = new FakeSlackApi();
let bot: SlackBot;
let server: { url: string; close(): Promise<void> };
let send: SlackSender;
let ws: Awaited<ReturnType<typeof w.workspace>>;

beforeAll(async () => {
  await slack.start();
  bot = createSlackBot({ core: w.core, token: slack.botToken, signingSecret: SECRET, apiUrl: slack.apiUrl });
  server = await serveListener(bot.listener!);
  send = slackSender(`${server.url}/slack/events`, SECRET);
  ws = await w.workspace();
  await w.ledger.grant(ws.id, {
    type: 'subscription',
    amount: 980,
    expiresAt: new Date('2026-12-16T00:00:00Z'),
    reason: 'cycle',
    idempotencyKey: 'c1',
  });
});

afterAll(async () => {
  await server.close();
  await slack.stop();
});

function slash(userId: string, text: string, extra: Record<string, string> = {}) {
  return {
    token: 'verification-token',
    team_id: ws.team,
    team_domain: 'acme',
    channel_id: ws.slackChannel,
    channel_name: 'credits',
    user_id: userId,
    user_name: 'someone',
    command: '/credits',
    text,
    api_app_id: 'AFAKE',
    response_url: slack.responseUrl(`cmd-${Date.now()}`),
    trigger_id: '123.456.abc',
    ...extra,
  };
}

function buttonPress(userId: string, actionId: string, purchaseId: string, messageTs: string) {
  return {
    type: 'block_actions',
    user: { id: userId, username: 'someone', name: 'someone', team_id: ws.team },
    api_app_id: 'AFAKE',
    token: 'verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: ws.slackChannel, is_ephemeral: false },
    trigger_id: '123.456.def',
    team: { id: ws.team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: ws.slackChannel, name: 'credits' },
    message: { type: 'message', ts: messageTs, text: 'Purchase request', bot_id: 'BBOT' },
    response_url: slack.responseUrl(`act-${Date.now()}`),
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Approve', emoji: true },
        value: purchaseId,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

describe('Slack over signed HTTP', () => {
  it('acks /credits balance within the request, carrying the answer as Block Kit', async () => {
    const started = Date.now();
    const res = await send.command(slash(ws.users.member.slack, 'balance'));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const body = (await res.json()) as { response_type: string; text: string; blocks: { type: string }[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('has 980 credits');
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    expect(JSON.stringify(body.blocks)).toContain('*Renewal*\\n980 credits on Dec 16');
  });

  it('acks at once and answers through response_url when the answer takes longer than the budget', async () => {
    const slow = createSlackBot({
      core: w.core,
      token: slack.botToken,
      signingSecret: SECRET,
      apiUrl: slack.apiUrl,
      ackBudgetMs: 0,
    });
    const s = await serveListener(slow.listener!);
    try {
      const fields = slash(ws.users.member.slack, 'estimate 3 veo 3.1 videos and 20 flux 2 dev images');
      const res = await slackSender(`${s.url}/slack/events`, SECRET).command(fields);
      expect(await res.json()).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
      const call = await slack.waitFor(
        'response_url',
        (c) => c.body.path === new URL(fields.response_url).pathname,
      );
      expect(call.body.text).toContain('3 × Veo 3.1 + 20 × Flux 2 Dev: 13,000 credits.');
      expect(call.body.replace_original).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('answers an app mention in the thread and a DM in the DM channel', async () => {
    const res = await send.event(
      {
        type: 'app_mention',
        user: ws.users.viewer.slack,
        text: '<@UBOT> how much would 5 Flux 2 Pro images cost?',
        ts: '1700000000.000100',
        channel: ws.slackChannel,
        event_ts: '1700000000.000100',
        team: ws.team,
      },
      ws.team,
    );
    expect(res.status).toBe(200);
    const post = await slack.waitFor('chat.postMessage', (c) => c.body.thread_ts === '1700000000.000100');
    expect(post.token).toBe(slack.botToken);
    expect(post.body.channel).toBe(ws.slackChannel);
    expect(post.body.text).toContain('5 × Flux 2 Pro: 600 credits.');
    expect(JSON.stringify(post.body.blocks)).toContain('Cheaper options');

    await send.event(
      {
        type: 'message',
        channel_type: 'im',
        user: ws.users.member.slack,
        text: 'when do our monthly credits reset?',
        ts: '1700000001.000200',
        channel: 'DMEMBER',
        event_ts: '1700000001.000200',
        team: ws.team,
      },
      ws.team,
    );
    const dm = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'DMEMBER');
    expect(dm.body.text).toContain('Your monthly credits reset on Dec 16');
  });

  it('refuses a mention from an unlinked user privately', async () => {
    await send.event(
      {
        type: 'app_mention',
        user: 'USTRANGER',
        text: '<@UBOT> balance',
        ts: '1700000002.000300',
        channel: ws.slackChannel,
        event_ts: '1700000002.000300',
        team: ws.team,
      },
      ws.team,
    );
    const eph = await slack.waitFor('chat.postEphemeral', (c) => c.body.user === 'USTRANGER');
    expect(eph.body.text).toContain('not linked to a member');
  });

  it('publishes the App Home with the balance', async () => {
    await send.event(
      {
        type: 'app_home_opened',
        user: ws.users.owner.slack,
        channel: 'DOWNER',
        tab: 'home',
        event_ts: '1700000003.1',
      },
      ws.team,
    );
    const view = await slack.waitFor('views.publish', (c) => c.body.user_id === ws.users.owner.slack);
    expect((view.body.view as { type: string }).type).toBe('home');
    expect(JSON.stringify(view.body.view)).toContain('has 980 credits');
  });

  it('rejects unsigned, badly signed and replayed (older than 5 minutes) requests without answering', async () => {
    const before = slack.calls.length;
    const fields = new URLSearchParams(slash(ws.users.member.slack, 'balance')).toString();
    const unsigned = await send.raw(fields, 'application/x-www-form-urlencoded', {});
    expect(unsigned.status).toBe(401);
    const bad = await send.command(slash(ws.users.member.slack, 'balance'), { secret: 'not-the-secret' });
    expect(bad.status).toBe(401);
    const tampered = await send.raw(
      fields.replace('balance', 'buy%20large'),
      'application/x-www-form-urlencoded',
      {
        ...(await import('./fakes/slack.js')).signSlack(SECRET, fields),
      },
    );
    expect(tampered.status).toBe(401);
    const replayed = await send.command(slash(ws.users.member.slack, 'balance'), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(replayed.status).toBe(401);
    const fresh = await send.command(slash(ws.users.member.slack, 'balance'), {
      timestamp: Math.floor(Date.now() / 1000) - 4 * 60,
    });
    expect(fresh.status).toBe(200);
    expect(slack.calls.length).toBe(before);
    expect(w.purchases.calls).toEqual([]);
  });
});

describe('Slack purchase approvals', () => {
  it('posts the approval message; a member’s press is refused privately, an admin’s approves and updates it', async () => {
    w.purchases.onNotify = (n) => bot.notifier.send(n);
    const res = await send.command(slash(ws.users.member.slack, 'buy small'));
    const body = (await res.json()) as { text: string };
    expect(body.text).toContain(
      'Purchase requested: Small — 1,000 credits for $50.00. An owner or admin approves it',
    );
    const [purchaseId] = [...w.purchases.items.keys()];
    const approval = await slack.waitFor('chat.postMessage', (c) =>
      String(c.body.text).startsWith('Purchase request: Small'),
    );
    expect(approval.body.channel).toBe(ws.slackChannel);
    const actions = (
      approval.body.blocks as {
        type: string;
        elements?: { action_id: string; value: string; style?: string }[];
      }[]
    ).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => [e.action_id, e.value, e.style])).toEqual([
      [APPROVE_ACTION, purchaseId, 'primary'],
      [REJECT_ACTION, purchaseId, 'danger'],
    ]);
    const [row] = await sql`SELECT message_id FROM bot_purchase_messages WHERE purchase_id = ${purchaseId!}`;
    const ts = row!.message_id as string;

    const updatesBefore = slack.of('chat.update').length;
    const refused = await send.action(buttonPress(ws.users.member.slack, APPROVE_ACTION, purchaseId!, ts));
    expect(refused.status).toBe(200);
    const eph = await slack.waitFor(
      'chat.postEphemeral',
      (c) => c.body.user === ws.users.member.slack && String(c.body.text).includes('Only an owner or admin'),
    );
    expect(eph.body.channel).toBe(ws.slackChannel);
    expect(w.purchases.calls.filter((c) => c.method === 'approve')).toEqual([]);
    expect(slack.of('chat.update').length).toBe(updatesBefore);

    const ok = await send.action(buttonPress(ws.users.admin.slack, APPROVE_ACTION, purchaseId!, ts));
    expect(ok.status).toBe(200);
    const update = await slack.waitFor(
      'chat.update',
      (c) => c.body.ts === ts && String(c.body.text).startsWith('Approved by Admin Person'),
    );
    expect(update.body.channel).toBe(ws.slackChannel);
    // The notifier (purchase_update from the flow) and the button handler both bring the message up to date.
    await expect.poll(() => slack.of('chat.update').filter((c) => c.body.ts === ts).length).toBe(2);
    expect(JSON.stringify(update.body.blocks)).not.toContain(APPROVE_ACTION);
    expect(w.purchases.calls.filter((c) => c.method === 'approve')).toEqual([
      { method: 'approve', args: [purchaseId, { by: 'admin', channel: 'slack' }, { workspaceId: ws.id }] },
    ]);
  });
});

describe('Slack over Socket Mode', () => {
  it('opens the connection with the app token, answers a slash command in the ack and a mention via the Web API', async () => {
    const socketBot = createSlackBot({
      core: w.core,
      token: slack.botToken,
      appToken: slack.appToken,
      apiUrl: slack.apiUrl,
    });
    expect(socketBot.listener).toBeUndefined();
    await socketBot.start();
    try {
      const open = await slack.waitFor('apps.connections.open');
      expect(open.token).toBe(slack.appToken);
      await expect.poll(() => slack.socketConnections).toBe(1);
      const ack = await slack.sendEnvelope('slash_commands', slash(ws.users.member.slack, 'balance'));
      expect((ack.payload as { text: string }).text).toContain('has 980 credits');
      const eventAck = await slack.sendEnvelope('events_api', {
        token: 'x',
        team_id: ws.team,
        api_app_id: 'AFAKE',
        type: 'event_callback',
        event_id: 'EvSocket1',
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: 'app_mention',
          user: ws.users.member.slack,
          text: '<@UBOT> when do our monthly credits reset?',
          ts: '1700000009.000900',
          channel: ws.slackChannel,
          event_ts: '1700000009.000900',
        },
      });
      expect(eventAck.envelope_id).toBeDefined();
      const post = await slack.waitFor('chat.postMessage', (c) => c.body.thread_ts === '1700000009.000900');
      expect(post.body.text).toContain('Your monthly credits reset on Dec 16');
    } finally {
      await socketBot.stop();
    }
    await expect.poll(() => slack.socketConnections).toBe(0);
  });
});

// Last: these debits change the balance the tests above assert.
describe('Slack usage chart (files.uploadV2)', () => {
  it('acks /credits usage with the answer, then uploads the chart and shares it in the channel', async () => {
    for (let d = 0; d < 3; d++) {
      await w.ledger.debit(ws.id, {
        operation: 'article-pro',
        idempotencyKey: `chart-${d}`,
        actor: 'member',
      });
      w.advance(DAY);
    }
    const before = slack.calls.length;
    const res = await send.command(slash(ws.users.member.slack, 'usage by member'));
    const body = (await res.json()) as { text: string; blocks: unknown[] };
    expect(body.text).toContain('used 60 credits in the last 30 days');
    expect(JSON.stringify(body.blocks)).toContain('Chart: credits per day by member');

    const file = await slack.waitForFile(ws.slackChannel);
    // The three steps, in order: ask for an upload URL, send the bytes there, complete with the channel.
    const methods = slack.calls.slice(before).map((c) => c.method);
    expect(methods).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    const asked = slack.of('files.getUploadURLExternal').at(-1)!;
    expect(asked.token).toBe(slack.botToken);
    expect(asked.body.filename).toBe('usage.png');
    expect(Number(asked.body.length)).toBe(file.length);
    const completed = slack.of('files.completeUploadExternal').at(-1)!;
    expect(completed.body.channel_id).toBe(ws.slackChannel);
    expect(completed.body.files).toEqual([{ id: file.id, title: 'Credits usage, last 30 days' }]);
    expect(file.completed).toMatchObject({ channel: ws.slackChannel, threadTs: null });
    expect(file.bytes!.length).toBe(file.length);
    expect(file.altText).toContain('by member');
    expectUsageChartPng(file.bytes!);
  });

  it('shares a mention’s chart in its thread; a channel the bot is not in gets a private explanation', async () => {
    await send.event(
      {
        type: 'app_mention',
        user: ws.users.member.slack,
        text: '<@UBOT> usage',
        ts: '1700000100.000100',
        channel: ws.slackChannel,
        event_ts: '1700000100.000100',
        team: ws.team,
      },
      ws.team,
    );
    await expect
      .poll(() =>
        slack.completedFiles(ws.slackChannel).find((f) => f.completed?.threadTs === '1700000100.000100'),
      )
      .toBeTruthy();
    const threaded = slack
      .completedFiles(ws.slackChannel)
      .find((f) => f.completed?.threadTs === '1700000100.000100')!;
    expect(pngHeader(threaded.bytes!)).toEqual({ width: 960, height: 600 });

    slack.notInChannels.add('CPRIVATE');
    try {
      const fields = slash(ws.users.member.slack, 'usage', { channel_id: 'CPRIVATE' });
      const res = await send.command(fields);
      expect(((await res.json()) as { text: string }).text).toContain('used 60 credits');
      const told = await slack.waitFor(
        'response_url',
        (c) => c.body.path === new URL(fields.response_url).pathname,
      );
      expect(told.body.text).toContain('invite me to this channel');
      expect(told.body.replace_original).toBe(false);
      expect(slack.completedFiles('CPRIVATE')).toEqual([]);
    } finally {
      slack.notInChannels.delete('CPRIVATE');
    }
  });
});
