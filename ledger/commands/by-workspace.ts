import type { Settled } from '../batcher.js';
import { CreditsError } from '../errors.js';

/**
 * One database call for a batch of any workspaces: the items grouped by workspace (each group in
 * order of arrival, each workspace once), one answer per group (null: no such workspace), and
 * each group's outcomes put back at its items' places.
 */
export async function runByWorkspace<Q extends { workspaceId: string }, A, R>(
  queued: Q[],
  call: (groups: { ws: string; items: Q[] }[]) => Promise<(A | null)[]>,
  settle: (ws: string, items: Q[], answer: A) => Settled<R>[],
): Promise<Settled<R>[]> {
  const positions = new Map<string, number[]>();
  queued.forEach((q, i) => {
    const group = positions.get(q.workspaceId);
    if (group) group.push(i);
    else positions.set(q.workspaceId, [i]);
  });
  const groups = [...positions].map(([ws, at]) => ({ ws, items: at.map((i) => queued[i]!) }));
  const answers = await call(groups);
  const results: Settled<R>[] = new Array(queued.length);
  groups.forEach(({ ws, items }, g) => {
    const answer = answers[g] ?? null;
    const settled = answer
      ? settle(ws, items, answer)
      : items.map((): Settled<R> => ({ ok: false, error: CreditsError.notFound('workspace', ws) }));
    positions.get(ws)!.forEach((at, k) => {
      results[at] = settled[k]!;
    });
  });
  return results;
}
