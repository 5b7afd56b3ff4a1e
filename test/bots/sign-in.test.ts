import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WebAccess } from '../../application/web-access.js';
import { startConsole } from '../../bots/console.js';
import { BotCore } from '../../bots/core/core.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();

describe('/credits web', () => {
  it('answers the asker alone with a single-use link that signs in as them, whatever their role', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    const webAccess = new WebAccess({ store: w.ledger.webAccess, directory: w.directory });
    const core = new BotCore({ ...w.core.deps, webAccess, publicUrl: 'https://credits.example.org' });
    for (const role of ['viewer', 'owner'] as const) {
      const answer = await core.answer({
        platform: 'slack',
        teamId: ws.team,
        channelId: ws.slackChannel,
        userId: ws.users[role].slack,
        command: 'web',
        args: '',
      });
      expect(answer).toMatchObject({ intent: 'signIn', ephemeral: true });
      const url = /https:\/\/credits\.example\.org\/app\/sign-in\/(cl_[\w-]{43})/.exec(answer.text);
      expect(url, answer.text).not.toBeNull();
      const signed = await webAccess.signIn(url![1]!);
      expect(signed).toMatchObject({ ok: true, workspaceId: ws.id, memberId: role });
      expect(await webAccess.signIn(url![1]!)).toEqual({ ok: false, reason: 'used' });
    }
    // Said in words (read by the understanding layer's `web` intent), and in the console as `web`.
    for (const text of ['send me a sign-in link', 'give me a login link', 'open the web console']) {
      const asked = await core.answer({
        platform: 'discord',
        teamId: ws.guild,
        channelId: ws.discordChannel,
        userId: ws.users.member.discord,
        text,
      });
      expect(asked, text).toMatchObject({ intent: 'signIn', ephemeral: true });
    }
    const console = await core.answer({
      platform: 'console',
      workspaceId: ws.id,
      memberId: 'admin',
      text: 'web',
    });
    expect(console).toMatchObject({ intent: 'signIn', ephemeral: true });
  });

  it('prints, in the terminal console, a link on PUBLIC_URL that signs in', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    const webAccess = new WebAccess({ store: w.ledger.webAccess, directory: w.directory });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const done = startConsole(
      { ...w.core.deps, webAccess },
      { workspace: ws.id, member: 'admin', input, output, publicUrl: 'https://credits.example.org/base' },
    );
    input.end('web\n');
    await done;
    const url = /https:\/\/credits\.example\.org\/base\/app\/sign-in\/(cl_[\w-]{43})/.exec(text);
    expect(url, text).not.toBeNull();
    expect(text).not.toContain('127.0.0.1');
    expect(await webAccess.signIn(url![1]!)).toMatchObject({
      ok: true,
      workspaceId: ws.id,
      memberId: 'admin',
    });
  });
});
