import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHOICE_ID } from '../../bots/core/types.js';
import { createDiscordBot, type DiscordBot } from '../../bots/discord/bot.js';
import { createSlackBot, type SlackBot } from '../../bots/slack/app.js';
import { encodeChoice } from '../../bots/understanding/choice.js';
import { corpusVocabulary } from '../../bots/understanding/evaluate.js';
import { loadCorpus, Understander } from '../../bots/understanding/understand.js';
import { useTestDatabase } from '../support/db.js';
import { FakeDiscord, type FakeGuild } from './fakes/discord.js';
import { FakeSlackApi, type SlackSender, serveListener, slackSender } from './fakes/slack.js';
import { botWorld } from './support.js';

/**
 * A question the understanding layer itself is unsure of, end to end through the real core: the
 * buttons are the readings it produced, and pressing one answers that reading (clarify.test.ts
 * covers the adapters' part with a scripted question back).
 */
const sql = useTestDatabase();
const SECRET = 'test-signing-secret-nlu-clarify-01';
const TOKEN = 'discord-bot-token.nlu-clarify';
/** Renewal or runway? (the held-out corpus expects runway; the model is not sure). */
const UNSURE = 'will we make it to the renewal';
const RUNWAY = 'When we run out at this pace';
const NO_RUN_OUT = 'No credits used in the last 30 days, so no run-out date in sight. You have 980 credits.';

const w = botWorld(sql);
let ws: Awaited<ReturnType<typeof w.workspace>>;

beforeAll(async () => {
  ws = await w.workspace();
  await w.ledger.grant(ws.id, { type: 'subscription', amount: 980, reason: 'cycle', idempotencyKey: 'c1' });
});

it('the model is unsure of the question (else pick another unsure one for these tests)', async () => {
  const u = await Understander.shared();
  const r = await u.read(UNSURE, corpusVocabulary(loadCorpus('train')), new Date());
  expect(r.clarify).toBe(true);
  expect([r.label, ...r.alternatives.map((a) => a.label)]).toContain(RUNWAY);
});

describe('a question back the understanding produced, in Slack (signed requests)', () => {
  const slack = new FakeSlackApi();
  let bot: SlackBot;
  let server: { url: string; close(): Promise<void> };
  let send: SlackSender;
  beforeAll(async () => {
    await slack.start();
    bot = createSlackBot({
      core: w.core,
      token: slack.botToken,
      signingSecret: SECRET,
      apiUrl: slack.apiUrl,
    });
    server = await serveListener(bot.listener!);
    send = slackSender(`${server.url}/slack/events`, SECRET);
  });
  afterAll(async () => {
    await server.close();
    await slack.stop();
  });

  it('shows the readings as buttons; pressing one answers that reading', async () => {
    const res = await send.command({
      token: 'verification-token',
      team_id: ws.team,
      channel_id: ws.slackChannel,
      user_id: ws.users.member.slack,
      command: '/credits',
      text: UNSURE,
      response_url: slack.responseUrl(`nlu-cmd-${Date.now()}`),
      trigger_id: '1.2.3',
    });
    type Button = { action_id: string; value: string; text: { text: string } };
    const body = (await res.json()) as { text: string; blocks: { type: string; elements?: Button[] }[] };
    expect(body.text).toContain(`I'm not sure what "${UNSURE}" asks. Did you mean:`);
    const buttons = body.blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    expect(buttons.length).toBeLessThanOrEqual(3);
    const runway = buttons.find((b) => b.text.text === RUNWAY)!;
    expect(runway.action_id).toMatch(/^credits_choose_\d$/);
    const responseUrl = slack.responseUrl(`nlu-press-${Date.now()}`);
    const pressed = await send.action({
      type: 'block_actions',
      user: { id: ws.users.member.slack, username: 'member', name: 'member', team_id: ws.team },
      api_app_id: 'AFAKE',
      token: 'verification-token',
      container: {
        type: 'message',
        message_ts: '1700000000.000200',
        channel_id: ws.slackChannel,
        is_ephemeral: true,
      },
      trigger_id: '123.456.nlu',
      team: { id: ws.team, domain: 'acme' },
      channel: { id: ws.slackChannel, name: 'credits' },
      response_url: responseUrl,
      actions: [
        {
          action_id: runway.action_id,
          block_id: 'b1',
          value: runway.value,
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
    expect(pressed.status).toBe(200);
    const answered = await slack.waitFor(
      'response_url',
      (c) => c.body.path === new URL(responseUrl).pathname,
    );
    expect(answered.body.replace_original).toBe(true);
    expect(answered.body.text).toContain(NO_RUN_OUT);
  });

  it('a forged choice of the sign-in link answers only a linked presser, privately, with no link here', async () => {
    const web = encodeChoice('web', {}, MAX_CHOICE_ID)!;
    const pressAs = async (userId: string) => {
      const responseUrl = slack.responseUrl(`nlu-forged-${userId}-${Date.now()}`);
      await send.action({
        type: 'block_actions',
        user: { id: userId, username: 'x', name: 'x', team_id: ws.team },
        api_app_id: 'AFAKE',
        token: 'verification-token',
        container: { type: 'message', message_ts: '1700000000.000300', channel_id: ws.slackChannel },
        trigger_id: '123.456.forged',
        team: { id: ws.team, domain: 'acme' },
        channel: { id: ws.slackChannel, name: 'credits' },
        response_url: responseUrl,
        actions: [
          { action_id: 'credits_choose_1', block_id: 'b1', value: web, type: 'button', action_ts: '1' },
        ],
      });
      return (await slack.waitFor('response_url', (c) => c.body.path === new URL(responseUrl).pathname)).body;
    };
    const stranger = await pressAs('U0NOTAMEMBER');
    expect(stranger.text).toMatch(/not linked|link/i);
    expect(stranger.text).not.toContain('sign-in');
    // This core serves no web console: the viewer is told so, privately, and gets no link.
    const viewer = await pressAs(ws.users.viewer.slack);
    expect(viewer).toMatchObject({ response_type: 'ephemeral' });
    expect(viewer.text).toContain('The web console is not served here.');
  });
});

describe('a question back the understanding produced, in Discord (interactions)', () => {
  let discord: FakeDiscord;
  let guild: FakeGuild;
  let bot: DiscordBot;
  beforeAll(async () => {
    guild = { id: ws.guild, name: 'Acme', channels: [{ id: ws.discordChannel, name: 'credits' }] };
    discord = await new FakeDiscord(TOKEN, [guild], 300).start();
    bot = createDiscordBot({ core: w.core, token: TOKEN, apiUrl: discord.apiUrl });
    await bot.start();
  });
  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
  });
  type Callback = {
    type: number;
    data: {
      flags?: number;
      content?: string;
      embeds?: { description?: string }[];
      components?: { components: { custom_id: string; label: string }[] }[];
    };
  };
  const callbackOf = async (i: { id: string; token: string }) =>
    (await discord.waitFor('POST', new RegExp(`/interactions/${i.id}/${i.token}/callback$`)))
      .body as unknown as Callback;
  const member = () => ({ id: ws.users.member.discord, username: 'member' });

  it('shows the readings as buttons; a press replaces the question with that reading answered', async () => {
    const asked = discord.slashCommand(guild, ws.discordChannel, member(), 'ask', [
      { name: 'question', type: 3, value: UNSURE },
    ]);
    const question = await callbackOf(asked);
    expect(question.data.flags).toBe(64);
    const buttons = question.data.components![0]!.components;
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    const runway = buttons.find((b) => b.label === RUNWAY)!;
    expect(runway.custom_id).toMatch(/^credits_choose_\d/);
    const pressed = discord.pressButton(guild, ws.discordChannel, member(), runway.custom_id, {
      id: '900000000000000011',
    });
    const update = await callbackOf(pressed);
    expect(update.type).toBe(7);
    expect(update.data.embeds![0]!.description).toContain(NO_RUN_OUT);
  });
});
