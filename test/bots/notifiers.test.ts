import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeeklyDigest } from '../../application/digest.js';
import type { AlertNotification, Notification } from '../../application/notifications.js';
import { startConsole } from '../../bots/console.js';
import { DiscordNotifier } from '../../bots/discord/bot.js';
import { registerCommands } from '../../bots/discord/register.js';
import { SlackNotifier } from '../../bots/slack/app.js';
import { useTestDatabase } from '../support/db.js';
import { FakeDiscord } from './fakes/discord.js';
import { FakeSlackApi } from './fakes/slack.js';
import { botWorld, DAY } from './support.js';

const sql = useTestDatabase();
const w = botWorld(sql);
const slack = new FakeSlackApi();
const discord = new FakeDiscord('notifier-token', []);
let slackNotifier: SlackNotifier;
let discordNotifier: DiscordNotifier;

beforeAll(async () => {
  await Promise.all([slack.start(), discord.start()]);
  slackNotifier = new SlackNotifier({ core: w.core, token: slack.botToken, apiUrl: slack.apiUrl });
  discordNotifier = new DiscordNotifier({ core: w.core, token: discord.token, apiUrl: discord.apiUrl });
});
afterAll(async () => {
  await Promise.all([slack.stop(), discord.stop()]);
});

const both = (n: Notification) => Promise.all([slackNotifier.send(n), discordNotifier.send(n)]);

describe('notifiers', () => {
  it('post an alert once per linked channel, however often the same notification id is delivered', async () => {
    const ws = await w.workspace();
    const alert: AlertNotification = {
      kind: 'alert',
      id: `alert-${ws.id}-1`,
      workspaceId: ws.id,
      type: 'alert.critical',
      level: 'critical',
      threshold: 10,
      balance: 7,
      occurredAt: new Date().toISOString(),
    };
    await Promise.all([both(alert), both(alert)]);
    await both(alert);
    const posts = slack.of('chat.postMessage').filter((c) => c.body.channel === ws.slackChannel);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.text).toContain('Critical balance: only 7 credits left (threshold 10).');
    const dposts = discord.of('POST', new RegExp(`/channels/${ws.discordChannel}/messages$`));
    expect(dposts).toHaveLength(1);
    const embed = (dposts[0]!.body as { embeds: { description: string; color: number }[] }).embeds[0]!;
    expect(embed.description).toContain('Critical balance');
    expect(embed.color).toBe(0xed4245);
  });

  it('retries a failed post: the claim is released so the next delivery sends', async () => {
    const ws = await w.workspace();
    const reminder: Notification = {
      kind: 'expiry_reminder',
      id: `rem-${ws.id}`,
      workspaceId: ws.id,
      amount: 412,
      lotType: 'subscription',
      expiresAt: new Date(Date.now() + 3 * DAY).toISOString(),
      occurredAt: new Date().toISOString(),
    };
    const broken = new SlackNotifier({ core: w.core, token: 'xoxb-wrong', apiUrl: slack.apiUrl });
    await expect(broken.send(reminder)).rejects.toThrow(/invalid_auth/);
    await slackNotifier.send(reminder);
    const ok = slack
      .of('chat.postMessage')
      .filter((c) => c.body.channel === ws.slackChannel && c.token === slack.botToken);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.body.text).toBe(
      `412 monthly credits expire in 3 days (${new Date(Date.now() + 3 * DAY).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })}).`,
    );
  });

  it('post the weekly digest, and a purchase update without an approval message as a new message', async () => {
    const ws = await w.workspace();
    await w.ledger.grant(ws.id, {
      type: 'subscription',
      amount: 980,
      expiresAt: new Date(w.now().getTime() + 10 * DAY),
      reason: 'cycle',
      idempotencyKey: 'c',
    });
    await w.ledger.debit(ws.id, {
      operation: 'article-pro',
      quantity: 3,
      idempotencyKey: 'd',
      actor: 'member',
    });
    const digest = await buildWeeklyDigest(w.core.deps, ws.id, w.now());
    await both(digest);
    const post = slack.of('chat.postMessage').find((c) => c.body.channel === ws.slackChannel)!;
    expect(post.body.text).toContain('60 credits spent; balance 920');
    expect(JSON.stringify(post.body.blocks)).toContain('Weekly credits digest');
    expect(
      JSON.stringify(discord.of('POST', new RegExp(`/channels/${ws.discordChannel}/messages$`))[0]!.body),
    ).toContain('Member Person: 60');

    const update: Notification = {
      kind: 'purchase_update',
      id: `upd-${ws.id}`,
      workspaceId: ws.id,
      occurredAt: new Date().toISOString(),
      purchase: {
        id: `purchase-${ws.id}`,
        workspaceId: ws.id,
        package: 'large',
        packageName: 'Large',
        credits: 10000,
        price: 500,
        currency: 'USD',
        status: 'completed',
        requestedBy: null,
        source: 'auto_top_up',
        decidedBy: 'policy:auto-top-up',
        reason: null,
        createdAt: new Date().toISOString(),
        approvalDeadline: null,
        automatic: true,
      },
    };
    await both(update);
    const done = slack.of('chat.postMessage').filter((c) => c.body.channel === ws.slackChannel);
    expect(done.at(-1)!.body.text).toBe(
      'Done: Large — 10,000 credits for $500.00. 10,000 credits were added to the balance (approved by policy:auto-top-up).',
    );
  });
});

describe('approval requests without a linked channel', () => {
  it('go to the owners and admins in a DM with the bot; a press there decides the purchase', async () => {
    const ws = await w.workspace();
    await sql`DELETE FROM chat_links WHERE workspace_id = ${ws.id} AND channel <> ''`;
    w.purchases.onNotify = (n) => both(n).then(() => {});
    await ws.command('member', 'buy', 'large');
    const purchaseId = [...w.purchases.items.values()].find((p) => p.workspaceId === ws.id)!.id;
    const opened = slack.of('conversations.open').map((c) => c.body.users);
    expect(opened).toEqual(expect.arrayContaining([ws.users.owner.slack, ws.users.admin.slack]));
    expect(opened).not.toContain(ws.users.member.slack);
    const dms = slack
      .of('chat.postMessage')
      .filter((c) => JSON.stringify(c.body.blocks).includes(purchaseId))
      .map((c) => c.body.channel);
    expect(dms.sort()).toEqual(
      [`D${ws.users.admin.slack.slice(1)}`, `D${ws.users.owner.slack.slice(1)}`].sort(),
    );
    const discordDms = [ws.users.owner.discord, ws.users.admin.discord].map(
      (u) => discord.dmChannels.get(u)!,
    );
    for (const channel of discordDms) {
      expect(discord.of('POST', new RegExp(`/channels/${channel}/messages$`))).toHaveLength(1);
    }
    // A press in the Discord DM (no guild) is tied to the purchase's workspace.
    const decided = await w.core.decide(
      { platform: 'discord', teamId: '', channelId: discordDms[0]!, userId: ws.users.owner.discord },
      purchaseId,
      'reject',
    );
    expect(decided.ok).toBe(true);
    expect(decided.answer.text).toBe(
      'Rejected by Owner Person: Large — 10,000 credits for $500.00. Nothing was charged.',
    );
    const rows =
      await sql`SELECT platform, channel FROM bot_purchase_messages WHERE purchase_id = ${purchaseId}`;
    expect(rows).toHaveLength(4);
    // The rejection edited all four DM messages.
    expect(
      slack.of('chat.update').filter((c) => String(c.body.text).startsWith('Rejected by Owner Person')),
    ).toHaveLength(2);
    for (const channel of discordDms) {
      expect(discord.of('PATCH', new RegExp(`/channels/${channel}/messages/\\d+$`))).toHaveLength(1);
    }
    w.purchases.onNotify = async () => {};
  });
});

describe('discord command registration', () => {
  it('PUTs /credits with its subcommands and the catalog packages as choices', async () => {
    const commands = await registerCommands({
      token: discord.token,
      applicationId: discord.applicationId,
      apiUrl: discord.apiUrl,
    });
    expect(commands.map((c) => c.name)).toEqual(['credits']);
    const put = discord.of('PUT', new RegExp(`/applications/${discord.applicationId}/commands$`))[0]!;
    expect(put.auth).toBe(`Bot ${discord.token}`);
    const body = put.body as unknown as {
      name: string;
      options: { name: string; options?: { choices?: { value: string }[] }[] }[];
    }[];
    expect(body[0]!.options.map((o) => o.name)).toEqual([
      'balance',
      'ask',
      'estimate',
      'history',
      'usage',
      'buy',
      'alerts',
      'help',
    ]);
    expect(body[0]!.options.find((o) => o.name === 'buy')!.options![0]!.choices!.map((c) => c.value)).toEqual(
      ['small', 'medium', 'large'],
    );
  });
});

describe('console', () => {
  it('answers lines typed in the terminal as a member named directly', async () => {
    const ws = await w.workspace();
    await w.ledger.grant(ws.id, { type: 'purchased', amount: 640, reason: 'start', idempotencyKey: 's' });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const done = startConsole(w.core.deps, { workspace: ws.id, member: 'viewer', input, output });
    input.write('how many credits left?\n');
    input.write('estimate 2 flux 2 pro images\n');
    input.end('buy small\n');
    await done;
    expect(text).toContain(`Credits console — Viewer Person (viewer) in Acme ${ws.id.slice(-4)}.`);
    expect(text).toContain('has 640 credits');
    expect(text).toContain('2 × Flux 2 Pro: 240 credits.');
    expect(text).toContain('Viewers can ask but not buy.');
    const missing = new PassThrough();
    let out2 = '';
    missing.on('data', (d: Buffer) => {
      out2 += d.toString();
    });
    await startConsole(w.core.deps, {
      workspace: ws.id,
      member: 'nobody',
      input: new PassThrough(),
      output: missing,
    });
    expect(out2).toContain('There is no member "nobody"');
  });
});
