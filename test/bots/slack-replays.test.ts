import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../bots/core/types.js';
import { createSlackBot, type SlackBot } from '../../bots/slack/app.js';
import { useTestDatabase } from '../support/db.js';
import { FakeSlackApi, serveListener, signSlack } from './fakes/slack.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();
const SECRET = 'test-signing-secret-replays-0123';
const w = botWorld(sql);
const slack = new FakeSlackApi();
let bot: SlackBot;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  await slack.start();
  bot = createSlackBot({ core: w.core, token: slack.botToken, signingSecret: SECRET, apiUrl: slack.apiUrl });
  server = await serveListener(bot.listener!);
});
afterAll(async () => {
  await server.close();
  await slack.stop();
});

/** Posts exactly these bytes, signed once: what a replay of a captured request sends. */
function signed(body: string, contentType: string, extra: Record<string, string> = {}) {
  const headers = { 'content-type': contentType, ...signSlack(SECRET, body), ...extra };
  return () => fetch(`${server.url}/slack/events`, { method: 'POST', headers, body });
}
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

/**
 * Issue 24, Low 9: a replayed Slack command within the signature window created three purchases.
 * Slack's retries (`X-Slack-Retry-Num`) and byte-identical replays are now answered once.
 */
describe('Slack requests are answered once', () => {
  it('a replayed /credits buy requests one purchase; the replay gets an empty ack', async () => {
    const ws = await w.workspace({ plan: 'business' });
    const before = w.purchases.calls.filter((c) => c.method === 'request').length;
    const send = signed(
      form({
        team_id: ws.team,
        channel_id: ws.slackChannel,
        user_id: ws.users.member.slack,
        command: '/credits',
        text: 'buy small',
        response_url: slack.responseUrl(`replay-${ws.id}`),
        trigger_id: `trig-${ws.id}`,
      }),
      FORM,
    );
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Purchase requested');
    for (let i = 0; i < 3; i++) {
      const again = await send();
      expect(again.status).toBe(200);
      expect(await again.text()).toBe('');
    }
    const requests = w.purchases.calls.filter((c) => c.method === 'request');
    expect(requests.length - before).toBe(1);
  });

  it('an event retried by Slack (same event_id, X-Slack-Retry-Num) is answered once', async () => {
    const ws = await w.workspace();
    const ts = `${Math.floor(Date.now() / 1000)}.000777`;
    const event = (retry: Record<string, string>) =>
      signed(
        JSON.stringify({
          team_id: ws.team,
          api_app_id: 'AFAKE',
          type: 'event_callback',
          event_id: `EvRetry${ws.id}`,
          event_time: Math.floor(Date.now() / 1000),
          event: {
            type: 'app_mention',
            user: ws.users.viewer.slack,
            text: '<@UBOT> balance',
            ts,
            channel: ws.slackChannel,
            event_ts: ts,
            team: ws.team,
          },
        }),
        'application/json',
        retry,
      )();
    expect((await event({})).status).toBe(200);
    await slack.waitFor('chat.postMessage', (c) => c.body.thread_ts === ts);
    for (const n of ['1', '2']) {
      const retried = await event({ 'x-slack-retry-num': n, 'x-slack-retry-reason': 'http_timeout' });
      expect(retried.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.of('chat.postMessage').filter((c) => c.body.thread_ts === ts)).toHaveLength(1);
  });

  it('a replayed approve press decides once', async () => {
    const ws = await w.workspace({ plan: 'business' });
    const purchase = await w.purchases.request(ws.id, { package: 'small', source: 'slack' });
    const press = signed(
      form({
        payload: JSON.stringify({
          type: 'block_actions',
          user: { id: ws.users.owner.slack, team_id: ws.team },
          team: { id: ws.team },
          channel: { id: ws.slackChannel },
          container: { type: 'message', message_ts: '1.1', channel_id: ws.slackChannel },
          trigger_id: `press-${ws.id}`,
          response_url: slack.responseUrl(`press-${ws.id}`),
          actions: [
            { action_id: APPROVE_ACTION, block_id: 'b', value: purchase.id, type: 'button', action_ts: '1' },
          ],
        }),
      }),
      FORM,
    );
    expect((await press()).status).toBe(200);
    expect((await press()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const approvals = w.purchases.calls.filter(
      (c) => c.method === 'approve' && (c.args[0] as string) === purchase.id,
    );
    expect(approvals).toHaveLength(1);
  });
});
