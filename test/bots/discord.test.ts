import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION, REJECT_ACTION } from '../../bots/core/types.js';
import { createDiscordBot, type DiscordBot } from '../../bots/discord/bot.js';
import { customId } from '../../bots/discord/render.js';
import { useTestDatabase } from '../support/db.js';
import { FakeDiscord, type FakeGuild } from './fakes/discord.js';
import { expectUsageChartPng } from './png.js';
import { botWorld, DAY } from './support.js';

const sql = useTestDatabase();
const TOKEN = 'discord-bot-token.test';

const w = botWorld(sql);
let ws: Awaited<ReturnType<typeof w.workspace>>;
let discord: FakeDiscord;
let guild: FakeGuild;
let bot: DiscordBot;
const user = (role: 'owner' | 'admin' | 'member' | 'viewer') => ({
  id: ws.users[role].discord,
  username: role,
});

beforeAll(async () => {
  ws = await w.workspace();
  await w.ledger.grant(ws.id, {
    type: 'subscription',
    amount: 980,
    expiresAt: new Date('2026-12-16T00:00:00Z'),
    reason: 'cycle',
    idempotencyKey: 'c1',
  });
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
    embeds?: {
      description?: string;
      fields?: { name: string; value: string }[];
      footer?: { text: string };
    }[];
    components?: { components: { custom_id: string }[] }[];
  };
};

async function callbackOf(interaction: { id: string; token: string }): Promise<Callback> {
  const call = await discord.waitFor(
    'POST',
    new RegExp(`/interactions/${interaction.id}/${interaction.token}/callback$`),
  );
  return call.body as unknown as Callback;
}

describe('Discord through the real discord.js Client', () => {
  it('connects via GET /gateway/bot, HELLO, IDENTIFY with the intents, READY and heartbeats', async () => {
    expect(discord.of('GET', /\/api\/v10\/gateway\/bot$/)).toHaveLength(1);
    expect(discord.identifies).toHaveLength(1);
    const identify = discord.identifies[0] as { token: string; intents: number };
    expect(identify.token).toBe(TOKEN);
    // Guilds (1) | GuildMessages (512) | DirectMessages (4096) | MessageContent (32768)
    expect(identify.intents).toBe(1 | 512 | 4096 | 32768);
    expect(bot.client.user?.id).toBe(discord.botUser.id);
    expect(bot.client.guilds.cache.has(ws.guild)).toBe(true);
    await expect.poll(() => discord.heartbeats, { timeout: 3000 }).toBeGreaterThan(0);
  });

  it('answers /credits balance with an ephemeral embed in the interaction callback', async () => {
    const interaction = discord.slashCommand(guild, ws.discordChannel, user('member'), 'balance');
    const cb = await callbackOf(interaction);
    expect(cb.type).toBe(4); // CHANNEL_MESSAGE_WITH_SOURCE
    expect(cb.data.flags).toBe(64); // EPHEMERAL
    expect(cb.data.embeds![0]!.description).toContain('has 980 credits');
    expect(cb.data.embeds![0]!.fields!.map((f) => f.name)).toEqual([
      'By type',
      'Next expiry',
      'Renewal',
      'Runway',
      'Used so far',
    ]);
  });

  it('passes subcommand options: estimate items, ask a question', async () => {
    const est = discord.slashCommand(guild, ws.discordChannel, user('viewer'), 'estimate', [
      { name: 'items', type: 3, value: 'a 2-week campaign on 3 platforms, 5 posts a week' },
    ]);
    expect((await callbackOf(est)).data.embeds![0]!.description).toContain(
      '= 30 posts: 30–90 credits (expected 60).',
    );
    const ask = discord.slashCommand(guild, ws.discordChannel, user('viewer'), 'ask', [
      { name: 'question', type: 3, value: 'when do our monthly credits reset?' },
    ]);
    expect((await callbackOf(ask)).data.embeds![0]!.description).toContain(
      'Your monthly credits reset on Dec 16',
    );
  });

  it('defers and edits the original response when the answer is slow', async () => {
    const slow = createDiscordBot({ core: w.core, token: TOKEN, apiUrl: discord.apiUrl, replyBudgetMs: 0 });
    await slow.start();
    try {
      await bot.stop(); // only the slow client should answer this one
      const interaction = discord.slashCommand(guild, ws.discordChannel, user('member'), 'history');
      const cb = await callbackOf(interaction);
      expect(cb).toEqual({ type: 5, data: { flags: 64 } }); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
      const edit = await discord.waitFor(
        'PATCH',
        new RegExp(`/webhooks/${discord.applicationId}/${interaction.token}/messages/@original$`),
      );
      expect(JSON.stringify(edit.body)).toContain('grant (monthly): cycle');
    } finally {
      await slow.stop();
      bot = createDiscordBot({ core: w.core, token: TOKEN, apiUrl: discord.apiUrl });
      await bot.start();
    }
  });

  it('replies to a mention in the channel with an embed, and ignores messages that do not mention it', async () => {
    const ignored = discord.message(guild, ws.discordChannel, user('member'), 'how many credits left?');
    const id = discord.message(
      guild,
      ws.discordChannel,
      user('member'),
      `<@${discord.botUser.id}> how many credits left?`,
    );
    const reply = await discord.waitFor('POST', new RegExp(`/channels/${ws.discordChannel}/messages$`), (c) =>
      JSON.stringify(c.body).includes(id),
    );
    expect(reply.auth).toBe(`Bot ${TOKEN}`);
    const body = reply.body as {
      message_reference: { message_id: string };
      embeds: { description: string }[];
      allowed_mentions: unknown;
    };
    expect(body.message_reference.message_id).toBe(id);
    expect(body.embeds[0]!.description).toContain('has 980 credits');
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(discord.calls.some((c) => JSON.stringify(c.body ?? {}).includes(ignored))).toBe(false);
  });

  it('approval buttons: a member gets an ephemeral refusal; an admin approves and the message updates', async () => {
    w.purchases.onNotify = (n) => bot.notifier.send(n);
    const buy = discord.slashCommand(guild, ws.discordChannel, user('member'), 'buy', [
      { name: 'package', type: 3, value: 'medium' },
    ]);
    expect((await callbackOf(buy)).data.embeds![0]!.description).toContain(
      'Purchase requested: Medium — 5,000 credits for $250.00.',
    );
    const purchaseId = [...w.purchases.items.keys()].at(-1)!;
    const posted = await discord.waitFor(
      'POST',
      new RegExp(`/channels/${ws.discordChannel}/messages$`),
      (c) => JSON.stringify(c.body).includes(customId(APPROVE_ACTION, purchaseId)),
    );
    const components = (
      posted.body as {
        components: { type: number; components: { custom_id: string; style: number; label: string }[] }[];
      }
    ).components;
    expect(components[0]!.components.map((b) => [b.label, b.style, b.custom_id])).toEqual([
      ['Approve', 3, customId(APPROVE_ACTION, purchaseId)],
      ['Reject', 4, customId(REJECT_ACTION, purchaseId)],
    ]);
    const [row] =
      await sql`SELECT message_id FROM bot_purchase_messages WHERE purchase_id = ${purchaseId} AND platform = 'discord'`;
    const messageId = row!.message_id as string;

    const press = discord.pressButton(
      guild,
      ws.discordChannel,
      user('member'),
      customId(APPROVE_ACTION, purchaseId),
      { id: messageId },
    );
    const refusal = await callbackOf(press);
    expect(refusal.type).toBe(4);
    expect(refusal.data.flags).toBe(64);
    expect(refusal.data.embeds![0]!.description).toContain(
      'Only an owner or admin can approve purchases; you are a member',
    );
    expect(w.purchases.calls.filter((c) => c.method === 'approve')).toEqual([]);

    const ok = discord.pressButton(
      guild,
      ws.discordChannel,
      user('admin'),
      customId(APPROVE_ACTION, purchaseId),
      { id: messageId },
    );
    const update = await callbackOf(ok);
    expect(update.type).toBe(7); // UPDATE_MESSAGE
    expect(update.data.embeds![0]!.description).toContain(
      'Approved by Admin Person: Medium — 5,000 credits for $250.00',
    );
    expect(update.data.components).toEqual([]);
    expect(w.purchases.calls.filter((c) => c.method === 'approve')).toEqual([
      { method: 'approve', args: [purchaseId, { by: 'admin', channel: 'discord' }, { workspaceId: ws.id }] },
    ]);
    // The flow's purchase_update edited the same message through REST.
    const patch = await discord.waitFor(
      'PATCH',
      new RegExp(`/channels/${ws.discordChannel}/messages/${messageId}$`),
    );
    expect(JSON.stringify(patch.body)).toContain('Approved by Admin Person');
  });

  it('a press on a stale approval message (decided elsewhere) is refused privately and refreshes the message, as on Slack', async () => {
    w.purchases.onNotify = async () => {};
    const purchase = await w.purchases.request(ws.id, {
      package: 'small',
      requestedBy: 'member',
      source: 'discord',
    });
    const messageId = '900000000000000123';
    // Decided elsewhere (the API, another channel) while this message still shows the buttons.
    await w.purchases.reject(purchase.id, { by: 'owner', reason: 'not now' }, { workspaceId: ws.id });
    const edits = () =>
      discord.of('PATCH', new RegExp(`/channels/${ws.discordChannel}/messages/${messageId}$`));
    expect(edits()).toHaveLength(0);

    const press = discord.pressButton(
      guild,
      ws.discordChannel,
      user('admin'),
      customId(APPROVE_ACTION, purchase.id),
      { id: messageId },
    );
    const refusal = await callbackOf(press);
    expect(refusal.type).toBe(4);
    expect(refusal.data.flags).toBe(64);
    expect(refusal.data.embeds![0]!.description).toContain('is already rejected');
    const patch = await discord.waitFor(
      'PATCH',
      new RegExp(`/channels/${ws.discordChannel}/messages/${messageId}$`),
    );
    expect(JSON.stringify(patch.body)).toContain('Rejected by Owner Person');
    expect(JSON.stringify(patch.body)).not.toContain(customId(APPROVE_ACTION, purchase.id));
    expect(w.purchases.calls.filter((c) => c.method === 'approve' && c.args[0] === purchase.id)).toHaveLength(
      1,
    );
  });
  // Last: these debits change the balance the tests above assert.
  it('attaches the usage chart as usage.png and shows it in the embed', async () => {
    for (let d = 0; d < 3; d++) {
      await w.ledger.debit(ws.id, { operation: 'article-pro', idempotencyKey: `chart-${d}`, actor: 'admin' });
      w.advance(DAY);
    }
    const interaction = discord.slashCommand(guild, ws.discordChannel, user('member'), 'usage', [
      { name: 'by', type: 3, value: 'member' },
    ]);
    const call = await discord.waitFor(
      'POST',
      new RegExp(`/interactions/${interaction.id}/${interaction.token}/callback$`),
    );
    const cb = call.body as unknown as Callback & {
      data: {
        attachments: { id: string | number; filename: string }[];
        embeds: { image?: { url: string } }[];
      };
    };
    expect(cb.type).toBe(4);
    expect(cb.data.flags).toBe(64);
    expect(cb.data.embeds[0]!.description).toContain('used 60 credits in the last 30 days');
    expect(cb.data.embeds[0]!.footer?.text).toContain('Chart: credits per day by member');
    expect(cb.data.embeds[0]!.image?.url).toBe('attachment://usage.png');
    expect(cb.data.attachments.map((a) => String(a.id))).toEqual(['0']);
    expect(call.files.map((f) => [f.field, f.filename])).toEqual([['files[0]', 'usage.png']]);
    expectUsageChartPng(call.files[0]!.bytes);
  });
});
