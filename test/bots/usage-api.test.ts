import { describe, expect, it } from 'vitest';
import { ask } from '../../bots/core/answers/index.js';
import { BotCore } from '../../bots/core/core.js';
import { n } from '../../bots/core/format.js';
import { useApi } from '../api/support.js';

/** The bot's usage in a window and GET /v1/workspaces/{ws}/usage for the same window give the same numbers. */
describe('usage in a window: the same numbers as the API', async () => {
  const api = await useApi();
  const core = new BotCore({ ...api.ctx, log: () => {} });

  it('by member and in total, for a window that leaves the first debit out', async () => {
    const { id, key } = await api.workspace({ credits: 10_000 });
    await api.ctx.directory.addMember(id, { id: 'sam', name: 'Sam Smith', role: 'member' });
    const debit = async (amount: number, actor: string, idempotencyKey: string) => {
      const r = await api.call<{ transaction: { createdAt: string } }>(
        'POST',
        `/v1/workspaces/${id}/debits`,
        {
          key,
          body: { amount, actor, idempotencyKey },
        },
      );
      expect(r.status).toBe(201);
      return new Date(r.body.transaction.createdAt);
    };
    const first = await debit(700, 'member:sam', 'd0');
    const from = new Date(first.getTime() + 1);
    await debit(130, 'member:sam', 'd1');
    await debit(55, 'member:sam', 'd2');
    await debit(200, 'zapier', 'd3');
    const to = new Date(Date.now() + 60_000);
    const query = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const byActor = await api.call<{ total: number; groups: { key: string; used: number; count: number }[] }>(
      'GET',
      `/v1/workspaces/${id}/usage?groupBy=actor&${query}`,
      { key },
    );
    expect(byActor.status).toBe(200);
    const sam = byActor.body.groups.find((g) => g.key === 'member:sam')!;

    const who = await core.identify({ platform: 'console', workspaceId: id, memberId: 'sam' });
    if (!who.ok) throw new Error(who.answer.text);
    const ctx = core.contextFor(
      who.identity,
      { platform: 'console', workspaceId: id, memberId: 'sam' },
      new Date(),
    );
    const window = { from, to, label: 'in this window' };
    const mine = await ask(ctx, 'usage', { window, member: 'sam' });
    expect(mine.text).toContain(`Sam Smith used ${n(sam.used)} credits in this window`);
    expect(mine.text).toContain(`in ${sam.count} debits, of ${n(byActor.body.total)} used`);
    const all = await ask(ctx, 'usage', { window });
    const byOperation = await api.call<{ total: number }>(
      'GET',
      `/v1/workspaces/${id}/usage?groupBy=operation&${query}`,
      { key },
    );
    expect(all.text).toContain(`used ${n(byOperation.body.total)} credits in this window`);
    expect(byOperation.body.total).toBe(byActor.body.total);
  });
});
