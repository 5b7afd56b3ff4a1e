import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../bots/core/types.js';
import { createSlackBot, type SlackBot } from '../../bots/slack/app.js';
import { useTestDatabase } from '../support/db.js';
import { FakeSlackApi, type SlackSender, serveListener, slackSender } from './fakes/slack.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();
const SECRET = 'test-signing-secret-identity-012';
const w = botWorld(sql);
const slack = new FakeSlackApi();
let bot: SlackBot;
let server: { url: string; close(): Promise<void> };
let send: SlackSender;

beforeAll(async () => {
  await slack.start();
  bot = createSlackBot({ core: w.core, token: slack.botToken, signingSecret: SECRET, apiUrl: slack.apiUrl });
  server = await serveListener(bot.listener!);
  send = slackSender(`${server.url}/slack/events`, SECRET);
});
afterAll(async () => {
  await server.close();
  await slack.stop();
});

/** A workspace linked to a second Slack team and Discord guild after its members were made. */
async function twoTeams() {
  const ws = await w.workspace({ plan: 'business' });
  // Longer than the first team's id, so never equal to it (a prefix swap collided 1 time in 16).
  const otherTeam = `${ws.team}2`;
  const otherGuild = `${ws.guild}9`;
  await w.directory.linkChat(ws.id, { platform: 'slack', team: otherTeam });
  await w.directory.linkChat(ws.id, { platform: 'discord', team: otherGuild });
  return { ...ws, otherTeam, otherGuild };
}

function command(team: string, user: string, text: string) {
  return send.command({
    team_id: team,
    channel_id: 'CANY',
    user_id: user,
    command: '/credits',
    text,
    response_url: slack.responseUrl(`id-${Date.now()}-${Math.random()}`),
    trigger_id: `t-${Math.random()}`,
  });
}

function press(team: string, user: string, purchaseId: string) {
  return send.action({
    type: 'block_actions',
    user: { id: user, team_id: team },
    team: { id: team },
    channel: { id: 'CANY' },
    container: { type: 'message', message_ts: '1.1', channel_id: 'CANY' },
    trigger_id: `p-${Math.random()}`,
    response_url: slack.responseUrl(`press-${Math.random()}`),
    actions: [
      { action_id: APPROVE_ACTION, block_id: 'b', value: purchaseId, type: 'button', action_ts: '1' },
    ],
  });
}

/**
 * Issue 24, Low 8: a chat user is (team, user), not the bare user id. A user of another Slack team
 * or Discord guild carrying the owner's user id never acts as the owner.
 */
describe('chat identity is (team, user)', () => {
  it('the owner’s user id from a second linked Slack team is not the owner', async () => {
    const ws = await twoTeams();
    const own = await command(ws.team, ws.users.owner.slack, 'balance');
    expect(await own.text()).toContain('credits');
    const other = await command(ws.otherTeam, ws.users.owner.slack, 'balance');
    expect(await other.text()).toContain('not linked to a member');
    const [owner] =
      await sql`SELECT slack_team_id, discord_guild_id FROM members WHERE workspace_id = ${ws.id} AND id = 'owner'`;
    expect(owner).toEqual({ slack_team_id: ws.team, discord_guild_id: ws.guild });
  });

  it('an approve press with the owner’s user id from another team (linked or not) decides nothing', async () => {
    const ws = await twoTeams();
    const purchase = await w.purchases.request(ws.id, { package: 'small', source: 'slack' });
    const approvals = () =>
      w.purchases.calls.filter((c) => c.method === 'approve' && c.args[0] === purchase.id).length;
    for (const team of [ws.otherTeam, 'TSTRANGER']) {
      expect((await press(team, ws.users.owner.slack, purchase.id)).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(approvals()).toBe(0);
    expect((await press(ws.team, ws.users.owner.slack, purchase.id)).status).toBe(200);
    await expect.poll(approvals).toBe(1);
  });

  it('Discord: the owner’s user id in a second linked guild is not the owner', async () => {
    const ws = await twoTeams();
    const ask = (guild: string) =>
      w.core.answer({ platform: 'discord', teamId: guild, userId: ws.users.owner.discord, text: 'balance' });
    expect(JSON.stringify(await ask(ws.guild))).not.toContain('not linked to a member');
    expect(JSON.stringify(await ask(ws.otherGuild))).toContain('not linked to a member');
  });

  it('an identity change is posted in the workspace’s linked Slack channel', async () => {
    const ws = await w.workspace();
    const { identityChange } = await w.ledger.changes.saveMember(
      ws.id,
      { id: 'owner', name: 'Owner Person', role: 'owner', slackUserId: 'UATTACKER', slackTeamId: ws.team },
      { actor: 'key:key_x', channel: 'api' },
    );
    expect(identityChange).not.toBeNull();
    await bot.notifier.send({
      kind: 'member_identity_changed',
      id: `identity_${identityChange}`,
      workspaceId: ws.id,
      memberId: 'owner',
      actor: 'key:key_x',
      channel: 'api',
      before: { slackUserId: ws.users.owner.slack, discordUserId: ws.users.owner.discord },
      after: { slackUserId: 'UATTACKER', discordUserId: ws.users.owner.discord, slackTeamId: ws.team },
      occurredAt: new Date().toISOString(),
    });
    const post = await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === ws.slackChannel && String(c.body.text).includes('UATTACKER'),
    );
    expect(post.body.text).toContain('The chat account of member owner changed');
    expect(JSON.stringify(post.body.blocks)).toContain('Changed by key:key_x via api');
  });

  it('with two teams linked, a new member needs its team; bound to it, it is recognised there only', async () => {
    const ws = await twoTeams();
    await expect(
      w.directory.addMember(ws.id, { id: 'nia', name: 'Nia', role: 'member', slackUserId: 'UNIA' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await w.directory.addMember(ws.id, {
      id: 'nia',
      name: 'Nia',
      role: 'member',
      slackUserId: 'UNIA',
      slackTeamId: ws.otherTeam,
    });
    expect(await (await command(ws.otherTeam, 'UNIA', 'balance')).text()).not.toContain('not linked');
    expect(await (await command(ws.team, 'UNIA', 'balance')).text()).toContain('not linked to a member');
  });
});
