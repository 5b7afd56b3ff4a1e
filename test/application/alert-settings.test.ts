import { describe, expect, it } from 'vitest';
import { MAX_ALERT_THRESHOLD, nextThresholds } from '../../application/alert-settings.js';
import { BotCore } from '../../bots/core/core.js';
import { useApi } from '../api/support.js';

/** Chat and API set thresholds through one rule: the same inputs are accepted or refused alike, and stored alike. */
describe('alert thresholds: one rule for chat and API', async () => {
  const api = await useApi();
  const core = new BotCore({ ...api.ctx, log: () => {} });

  async function viaApi(id: string, key: string, t: { low: number; critical: number }) {
    const reply = await api.call('PUT', `/v1/workspaces/${id}/alerts`, { key, body: { thresholds: t } });
    return { ok: reply.status === 200, message: reply.body?.error?.message as string | undefined };
  }
  async function viaChat(id: string, t: { low: number; critical: number }) {
    const answer = await core.answer({
      platform: 'console',
      workspaceId: id,
      memberId: 'owner',
      command: 'alerts',
      args: `low ${t.low} critical ${t.critical}`,
    });
    return { ok: answer.text.includes('set: low at'), text: answer.text };
  }

  it.each([
    [{ low: 250, critical: 25 }, true],
    [{ low: 5, critical: 20 }, false],
    [{ low: 20, critical: 20 }, false],
    [{ low: 1, critical: 0 }, true],
    [{ low: MAX_ALERT_THRESHOLD + 1, critical: 10 }, false],
    [{ low: MAX_ALERT_THRESHOLD, critical: 10 }, true],
  ])('%j → accepted: %s, by both', async (t, accepted) => {
    const a = await api.workspace();
    const b = await api.workspace();
    await api.ctx.directory.addMember(b.id, { id: 'owner', name: 'Owner', role: 'owner' });
    const fromApi = await viaApi(a.id, a.key, t);
    const fromChat = await viaChat(b.id, t);
    expect(fromApi.ok).toBe(accepted);
    expect(fromChat.ok).toBe(accepted);
    if (!accepted) {
      // The refusal names the same problem in both places.
      const rule = fromApi.message!.replace(/^thresholds\.\w+: /, '').split(' (')[0]!;
      expect(fromChat.text).toContain(rule);
    }
    const stored = async (id: string) => (await api.ctx.directory.workspace(id)).settings;
    expect(await stored(b.id)).toEqual(await stored(a.id));
  });

  it('a partial change keeps the other threshold and every other alert setting', () => {
    expect(nextThresholds({ low: 100, critical: 10 }, { low: 300 })).toEqual({ low: 300, critical: 10 });
    expect(() => nextThresholds({ low: 100, critical: 10 }, { critical: 100 })).toThrow(
      /thresholds.low: must be above the critical one/,
    );
  });
});
