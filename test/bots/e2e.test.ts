import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purchases } from '../../application/purchases.js';
import { BotCore } from '../../bots/core/core.js';
import { APPROVE_ACTION } from '../../bots/core/types.js';
import { DiscordNotifier } from '../../bots/discord/bot.js';
import { createSlackBot } from '../../bots/slack/app.js';
import { type ApiServer, startApiServer } from '../../integrations/api/server.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';
import { FakeDiscord, snowflake } from './fakes/discord.js';
import { FakeSlackApi, slackSender } from './fakes/slack.js';

/**
 * The bots with the real pieces around them: the Temporal purchase flow and alert dispatcher
 * (worker on a dev server), the HTTP API serving the Slack receiver on its own port, the Slack
 * notifier and the Discord notifier on fakes of the two platforms.
 */
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const SECRET = 'e2e-signing-secret-0123456789';
const OPERATOR = `op_${randomBytes(16).toString('hex')}`;
const slack = new FakeSlackApi();
const discord = new FakeDiscord('e2e-discord-token', []);
let running: RunningWorker;
let api: ApiServer;

// The worker's purchase flows, which exist once the worker runs.
let service: Purchases;
const purchases: Purchases = {
  request: (ws, input) => service.request(ws, input),
  get: (id, scope) => service.get(id, scope),
  pending: (ws) => service.pending(ws),
  approve: (id, input, scope) => service.approve(id, input, scope),
  reject: (id, input, scope) => service.reject(id, input, scope),
};
const core = new BotCore({ ...ctx, purchases });

beforeAll(async () => {
  await Promise.all([slack.start(), discord.start()]);
  const slackBot = createSlackBot({
    core,
    token: slack.botToken,
    signingSecret: SECRET,
    apiUrl: slack.apiUrl,
  });
  const discordNotifier = new DiscordNotifier({ core, token: discord.token, apiUrl: discord.apiUrl });
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('bots-e2e'),
    workflowBundle: temporal.bundle(),
    notifiers: [slackBot.notifier, discordNotifier],
    maintenanceEveryMs: null,
    alertPollMs: 100,
  });
  service = running.purchases;
  ctx.onBalanceChange((c) => running.onBalanceChange(c));
  api = await startApiServer({
    ctx: { ...ctx, operatorKey: OPERATOR, purchases },
    port: 0,
    host: '127.0.0.1',
    mounts: [{ path: slackBot.path, listener: slackBot.listener! }],
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await running?.stop();
  await Promise.all([slack.stop(), discord.stop()]);
});

async function workspace(opts: { credits: number; expiresAt?: Date }) {
  const id = uniqueId('e2e');
  const team = `T${randomBytes(3).toString('hex').toUpperCase()}`;
  const channel = `C${randomBytes(3).toString('hex').toUpperCase()}`;
  const guild = snowflake();
  const discordChannel = snowflake();
  await ctx.directory.createWorkspace({
    id,
    name: `E2E ${id.slice(-4)}`,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  await ctx.directory.addMember(id, {
    id: 'ada',
    name: 'Ada',
    role: 'admin',
    slackUserId: `UADA${id.slice(-4)}`,
  });
  await ctx.directory.addMember(id, {
    id: 'max',
    name: 'Max',
    role: 'member',
    slackUserId: `UMAX${id.slice(-4)}`,
  });
  await ctx.directory.linkChat(id, { platform: 'slack', team, channel });
  await ctx.directory.linkChat(id, { platform: 'discord', team: guild, channel: discordChannel });
  await ctx.ledger.grant(id, {
    type: 'purchased',
    amount: opts.credits,
    reason: 'start',
    idempotencyKey: 'start',
  });
  return { id, team, channel, discordChannel, ada: `UADA${id.slice(-4)}`, max: `UMAX${id.slice(-4)}` };
}

describe('end to end', () => {
  it('a purchase requested in Slack, approved with the button, granted by the workflow, confirmed in the channel', async () => {
    const ws = await workspace({ credits: 500 });
    const send = slackSender(`${api.url}/slack/events`, SECRET);
    const res = await send.command({
      token: 'x',
      team_id: ws.team,
      channel_id: ws.channel,
      user_id: ws.max,
      command: '/credits',
      text: 'buy smal',
      response_url: slack.responseUrl('e2e-buy'),
      trigger_id: 't',
    });
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { text: string };
    expect(ack.text).toContain(
      'Purchase requested (reading "smal" as Small): Small — 1,000 credits for $50.00.',
    );
    const [purchase] =
      await sql`SELECT id, source, requested_by FROM purchases WHERE workspace_id = ${ws.id}`;
    expect(purchase).toMatchObject({ source: 'slack', requested_by: 'max' });
    const purchaseId = purchase!.id as string;

    // The workflow asks for approval: the Slack notifier posts the message with the buttons.
    const approval = await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === ws.channel && JSON.stringify(c.body.blocks).includes(purchaseId),
      20_000,
    );
    expect(JSON.stringify(approval.body.blocks)).toContain(APPROVE_ACTION);
    // The notifier remembers the message right after Slack answers the post.
    const ts = await eventually(
      async () => {
        const [row] =
          await sql`SELECT message_id FROM bot_purchase_messages WHERE purchase_id = ${purchaseId} AND platform = 'slack'`;
        return row?.message_id as string | undefined;
      },
      5000,
      'approval message remembered',
    );

    const press = await send.action({
      type: 'block_actions',
      user: { id: ws.ada, username: 'ada', team_id: ws.team },
      team: { id: ws.team, domain: 'e2e' },
      channel: { id: ws.channel, name: 'credits' },
      container: { type: 'message', message_ts: ts, channel_id: ws.channel, is_ephemeral: false },
      message: { type: 'message', ts, text: 'Purchase request' },
      api_app_id: 'AFAKE',
      token: 'x',
      trigger_id: 't2',
      response_url: slack.responseUrl('e2e-press'),
      actions: [
        { action_id: APPROVE_ACTION, block_id: 'b', value: purchaseId, type: 'button', action_ts: '1' },
      ],
    });
    expect(press.status).toBe(200);

    // Granted by the workflow, and the approval message now says so.
    const done = await slack.waitFor(
      'chat.update',
      (c) => c.body.ts === ts && String(c.body.text).startsWith('Done: Small — 1,000 credits'),
      20_000,
    );
    expect(done.body.text).toContain('1,000 credits were added to the balance (approved by Ada)');
    expect(JSON.stringify(done.body.blocks)).not.toContain(APPROVE_ACTION);
    expect((await ctx.ledger.balance(ws.id)).total).toBe(1500);
    const [status] = await sql`SELECT status, decided_by FROM purchases WHERE id = ${purchaseId}`;
    expect(status).toEqual({ status: 'completed', decided_by: 'ada' });
    // One approval message; updates edited it, nothing else was posted for this purchase.
    expect(
      slack.of('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes(purchaseId)),
    ).toHaveLength(1);
  });

  it('a debit through the API crossing 100 posts one low-balance alert in the linked Slack and Discord channels', async () => {
    const ws = await workspace({ credits: 150 });
    const debit = (key: string, amount: number) =>
      fetch(`${api.url}/v1/workspaces/${ws.id}/debits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount, idempotencyKey: key, actor: 'max', source: 'api' }),
      });
    expect((await debit('d1', 30)).status).toBe(201); // 120: above low
    const crossing = await debit('d2', 40); // 80: crosses 100
    expect(crossing.status).toBe(201);
    expect((await debit('d2', 40)).status).toBe(201); // a retry of the same debit: no second crossing
    expect((await debit('d3', 5)).status).toBe(201); // 75: still below, already fired

    const slackAlert = await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === ws.channel && String(c.body.text).startsWith('Low balance'),
      20_000,
    );
    expect(slackAlert.body.text).toContain('Low balance: 80 credits left, below the low threshold of 100.');
    const discordAlert = await discord.waitFor(
      'POST',
      new RegExp(`/channels/${ws.discordChannel}/messages$`),
      (c) => JSON.stringify(c.body).includes('Low balance'),
      20_000,
    );
    expect(discordAlert.auth).toBe(`Bot ${discord.token}`);
    expect(JSON.stringify(discordAlert.body)).toContain('Low balance: 80 credits left');

    // Give the dispatcher time to (wrongly) send again, then count.
    await new Promise((r) => setTimeout(r, 1500));
    const slackAlerts = slack.of('chat.postMessage').filter((c) => c.body.channel === ws.channel);
    const discordAlerts = discord.of('POST', new RegExp(`/channels/${ws.discordChannel}/messages$`));
    expect(slackAlerts).toHaveLength(1);
    expect(discordAlerts).toHaveLength(1);
    await eventually(
      async () => {
        const [r] =
          await sql`SELECT count(*)::int AS n FROM bot_deliveries WHERE channel IN (${ws.channel}, ${ws.discordChannel}) AND state = 'sent'`;
        return r!.n === 2;
      },
      5000,
      'deliveries recorded',
    );
  });
});
