import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole } from '../../bots/console.js';
import { BotCore } from '../../bots/core/core.js';
import { clarify } from '../../bots/core/replies.js';
import { type Answer, type BotRequest, BUY_ACTION, MAX_CHOICE_ID } from '../../bots/core/types.js';
import { createDiscordBot, type DiscordBot } from '../../bots/discord/bot.js';
import { customId } from '../../bots/discord/render.js';
import { createSlackBot, type SlackBot } from '../../bots/slack/app.js';
import { encodeChoice } from '../../bots/understanding/choice.js';
import { useTestDatabase } from '../support/db.js';
import { FakeDiscord, type FakeGuild } from './fakes/discord.js';
import { FakeSlackApi, type SlackSender, serveListener, slackSender } from './fakes/slack.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();
const SECRET = 'test-signing-secret-clarify-0123';
const TOKEN = 'discord-bot-token.clarify';
const UNSURE = 'flux pro or dev';
/** Choice ids as the understanding layer makes them: the reading itself (bots/understanding/choice.ts). */
const threeImages = (model: string, label: string): string =>
  encodeChoice(
    'estimate',
    {
      items: [
        { operation: 'image', model, quantity: 3, quantityStated: true, phrase: label, label, fuzzy: false },
      ],
    },
    MAX_CHOICE_ID,
  )!;
const PRO = threeImages('flux-2-pro', 'Flux 2 Pro');
const DEV = threeImages('flux-2-dev', 'Flux 2 Dev');
const BUY_SMALL = encodeChoice('buy', { package: 'small' }, MAX_CHOICE_ID)!;

/**
 * The real core, except that one question is read as unsure: the adapters' part is what is tested
 * here (buttons and numbers out, the chosen id back in); the choice is then answered by the real
 * dispatcher, which decodes the reading from the id.
 */
class UnsureCore extends BotCore {
  override answer(request: BotRequest): Promise<Answer> {
    const said = `${request.text ?? ''} ${request.args ?? ''}`;
    if (request.choice === undefined && said.includes(UNSURE))
      return Promise.resolve(
        clarify('Which one did you mean?', [
          { id: PRO, label: '3 × Flux 2 Pro' },
          { id: DEV, label: '3 × Flux 2 Dev' },
        ]),
      );
    return super.answer(request);
  }
}

const w = botWorld(sql);
const core = new UnsureCore({ ...w.core.deps, burnCacheMs: 0 });
let ws: Awaited<ReturnType<typeof w.workspace>>;

beforeAll(async () => {
  ws = await w.workspace();
  await w.ledger.grant(ws.id, { type: 'subscription', amount: 980, reason: 'cycle', idempotencyKey: 'c1' });
});

describe('a question back, in Slack (signed requests)', () => {
  const slack = new FakeSlackApi();
  let bot: SlackBot;
  let server: { url: string; close(): Promise<void> };
  let send: SlackSender;
  beforeAll(async () => {
    await slack.start();
    bot = createSlackBot({ core, token: slack.botToken, signingSecret: SECRET, apiUrl: slack.apiUrl });
    server = await serveListener(bot.listener!);
    send = slackSender(`${server.url}/slack/events`, SECRET);
  });
  afterAll(async () => {
    await server.close();
    await slack.stop();
  });

  const press = (userId: string, actionId: string, value: string) => ({
    type: 'block_actions',
    user: { id: userId, username: 'someone', name: 'someone', team_id: ws.team },
    api_app_id: 'AFAKE',
    token: 'verification-token',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: ws.slackChannel,
      is_ephemeral: true,
    },
    trigger_id: '123.456.def',
    team: { id: ws.team, domain: 'acme' },
    channel: { id: ws.slackChannel, name: 'credits' },
    response_url: slack.responseUrl(`press-${actionId}-${Date.now()}`),
    actions: [
      { action_id: actionId, block_id: 'b1', value, type: 'button', action_ts: `${Date.now() / 1000}` },
    ],
  });

  it('shows the readings as buttons; a press answers the chosen one in place of the question', async () => {
    const res = await send.command({
      token: 'verification-token',
      team_id: ws.team,
      channel_id: ws.slackChannel,
      user_id: ws.users.member.slack,
      command: '/credits',
      text: `estimate 3 ${UNSURE}`,
      response_url: slack.responseUrl(`cmd-${Date.now()}`),
      trigger_id: '1.2.3',
    });
    const body = (await res.json()) as { text: string; blocks: { type: string; elements?: unknown[] }[] };
    expect(body.text).toContain('Which one did you mean?');
    const actions = body.blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements).toEqual([
      expect.objectContaining({
        action_id: 'credits_choose_1',
        value: PRO,
        text: expect.objectContaining({ text: '3 × Flux 2 Pro' }),
      }),
      expect.objectContaining({ action_id: 'credits_choose_2', value: DEV }),
    ]);
    const payload = press(ws.users.member.slack, 'credits_choose_2', DEV);
    expect((await send.action(payload)).status).toBe(200);
    const answered = await slack.waitFor(
      'response_url',
      (c) => c.body.path === new URL(payload.response_url).pathname,
    );
    expect(answered.body.replace_original).toBe(true);
    expect(answered.body.text).toContain('3 × Flux 2 Dev: 150 credits');
  });

  it('a forged choice id is read like anything else typed: no answer beyond what the presser may ask', async () => {
    const payload = press(ws.users.viewer.slack, 'credits_choose_1', BUY_SMALL);
    await send.action(payload);
    const answered = await slack.waitFor(
      'response_url',
      (c) => c.body.path === new URL(payload.response_url).pathname,
    );
    expect(answered.body.text).toContain('Viewers can ask but not buy');
    const junk = press(ws.users.viewer.slack, 'credits_choose_1', 'x'.repeat(200));
    await send.action(junk);
    const told = await slack.waitFor(
      'response_url',
      (c) => c.body.path === new URL(junk.response_url).pathname,
    );
    expect(told.body.text).toContain('That choice has expired.');
  });

  it('the Buy button requests the package as the presser; a viewer is refused', async () => {
    const member = press(ws.users.member.slack, BUY_ACTION, 'small');
    await send.action(member);
    const ok = await slack.waitFor(
      'response_url',
      (c) => c.body.path === new URL(member.response_url).pathname,
    );
    expect(ok.body.text).toContain('Purchase requested: Small');
    expect(ok.body.replace_original).toBe(false);
    const viewer = press(ws.users.viewer.slack, BUY_ACTION, 'small');
    await send.action(viewer);
    const no = await slack.waitFor(
      'response_url',
      (c) => c.body.path === new URL(viewer.response_url).pathname,
    );
    expect(no.body.text).toContain('Viewers can ask but not buy');
  });
});

describe('a question back, in Discord (interactions)', () => {
  let discord: FakeDiscord;
  let guild: FakeGuild;
  let bot: DiscordBot;
  beforeAll(async () => {
    guild = { id: ws.guild, name: 'Acme', channels: [{ id: ws.discordChannel, name: 'credits' }] };
    discord = await new FakeDiscord(TOKEN, [guild], 300).start();
    bot = createDiscordBot({ core, token: TOKEN, apiUrl: discord.apiUrl });
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
      embeds?: { description?: string }[];
      components?: { components: { custom_id: string; label: string }[] }[];
    };
  };
  const callbackOf = async (i: { id: string; token: string }) =>
    (await discord.waitFor('POST', new RegExp(`/interactions/${i.id}/${i.token}/callback$`)))
      .body as unknown as Callback;
  const member = () => ({ id: ws.users.member.discord, username: 'member' });

  it('shows the readings as buttons; a press replaces the question with the chosen answer', async () => {
    const asked = discord.slashCommand(guild, ws.discordChannel, member(), 'ask', [
      { name: 'question', type: 3, value: `estimate 3 ${UNSURE}` },
    ]);
    const question = await callbackOf(asked);
    expect(question.data.flags).toBe(64);
    expect(question.data.components![0]!.components.map((b) => [b.label, b.custom_id])).toEqual([
      ['3 × Flux 2 Pro', customId('credits_choose_1', PRO)],
      ['3 × Flux 2 Dev', customId('credits_choose_2', DEV)],
    ]);
    const pressed = discord.pressButton(
      guild,
      ws.discordChannel,
      member(),
      customId('credits_choose_1', PRO),
      { id: '900000000000000001' },
    );
    const update = await callbackOf(pressed);
    expect(update.type).toBe(7);
    expect(update.data.embeds![0]!.description).toContain('3 × Flux 2 Pro: 360 credits');
  });

  it('the Buy button requests the package as the presser, privately', async () => {
    const pressed = discord.pressButton(guild, ws.discordChannel, member(), customId(BUY_ACTION, 'medium'), {
      id: '900000000000000002',
    });
    const reply = await callbackOf(pressed);
    expect(reply.type).toBe(4);
    expect(reply.data.flags).toBe(64);
    expect(reply.data.embeds![0]!.description).toContain('Purchase requested: Medium');
  });
});

describe('a question back, in the console', () => {
  it('numbers the readings, answers the typed number, tells how to approve and what exit leaves running', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const done = startConsole(w.core.deps, {
      core,
      workspace: ws.id,
      member: 'owner',
      input,
      output,
      banner: false,
    });
    input.write(`estimate 3 ${UNSURE}\n`);
    input.write('2\n');
    input.write('buy small\n');
    input.write('exit\n');
    await done;
    expect(text).toContain(
      'Which one did you mean?\n1. 3 × Flux 2 Pro\n2. 3 × Flux 2 Dev\nType 1, 2 to choose.',
    );
    expect(text).toContain('3 × Flux 2 Dev: 150 credits');
    expect(text).toMatch(/Purchase requested: Small .* approves it with approve pur_\S+ by /);
    expect(text).not.toContain('Approve button');
    expect(text.trimEnd()).toMatch(
      /Left the console\. The Credits service keeps running: stop it with Ctrl-C in the terminal where npm start runs\.$/,
    );
  });
});
