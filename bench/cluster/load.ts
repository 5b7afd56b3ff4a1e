/**
 * The work of the cluster run, through the API replicas (RoundRobin): debits with retries under
 * one idempotency key each, purchases requested and approved, paced so that they span the faults.
 */
import type { Reply, RoundRobin } from './credits.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createWorkspace(rr: RoundRobin, id: string, owner: string): Promise<void> {
  const ws = await rr.call('POST', '/v1/workspaces', { id, name: id, plan: 'solo', status: 'active' });
  // 409: an earlier attempt created it and its answer was lost (a replica killed mid-request).
  if (ws.status !== 201 && ws.status !== 409)
    throw new Error(`creating ${id}: ${ws.status} ${JSON.stringify(ws.body)}`);
  const member = await rr.call('POST', `/v1/workspaces/${id}/members`, {
    id: owner,
    name: owner,
    role: 'owner',
  });
  if (member.status !== 201 && member.status !== 409)
    throw new Error(`adding ${owner} to ${id}: ${member.status} ${JSON.stringify(member.body)}`);
}

export async function grant(rr: RoundRobin, ws: string, amount: number): Promise<void> {
  const r = await rr.call(
    'POST',
    `/v1/workspaces/${ws}/grants`,
    { type: 'promotional', amount, reason: 'cluster run' },
    { idempotencyKey: `cluster-grant-${ws}` },
  );
  if (r.status !== 201) throw new Error(`grant to ${ws}: ${r.status} ${JSON.stringify(r.body)}`);
}

export interface DebitOutcome {
  key: string;
  workspace: string;
  acknowledged: boolean;
  attempts: number;
  status: number;
  at: number;
}

/** `n` debits of 1 credit, one every `spacingMs` (at most `inFlight` at once), each retried until acknowledged. */
export async function runDebits(
  rr: RoundRobin,
  options: { n: number; spacingMs: number; inFlight: number; workspaces: string[]; prefix: string },
): Promise<DebitOutcome[]> {
  const out: DebitOutcome[] = [];
  const running = new Set<Promise<void>>();
  const t0 = Date.now();
  for (let i = 0; i < options.n; i++) {
    const due = t0 + i * options.spacingMs;
    if (due > Date.now()) await sleep(due - Date.now());
    while (running.size >= options.inFlight) await Promise.race(running);
    const key = `${options.prefix}-${i}`;
    const workspace = options.workspaces[i % options.workspaces.length]!;
    const p = rr
      .call('POST', `/v1/workspaces/${workspace}/debits`, { amount: 1 }, { idempotencyKey: key })
      .then((r: Reply) => {
        out.push({
          key,
          workspace,
          acknowledged: r.status === 201,
          attempts: r.attempts,
          status: r.status,
          at: Date.now(),
        });
      })
      .finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.all(running);
  return out;
}

export interface PurchaseOutcome {
  workspace: string;
  id: string | null;
  requestAttempts: number;
  approved: boolean;
  error?: string;
}

/** One purchase per workspace, one every `spacingMs`: requested, seen pending, approved by its owner. */
export async function runPurchases(
  rr: RoundRobin,
  options: { workspaces: string[]; owner: string; spacingMs: number },
): Promise<PurchaseOutcome[]> {
  const t0 = Date.now();
  return Promise.all(
    options.workspaces.map(async (workspace, i) => {
      await sleep(Math.max(0, t0 + i * options.spacingMs - Date.now()));
      const requested = await rr.call('POST', `/v1/workspaces/${workspace}/purchases`, {
        package: 'small',
        requestedBy: options.owner,
      });
      if (requested.status !== 201)
        return {
          workspace,
          id: null,
          requestAttempts: requested.attempts,
          approved: false,
          error: JSON.stringify(requested.body),
        };
      const id = requested.body.id as string;
      const outcome: PurchaseOutcome = {
        workspace,
        id,
        requestAttempts: requested.attempts,
        approved: false,
      };
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        const seen = await rr.call('GET', `/v1/purchases/${id}`);
        const status = seen.body?.status as string | undefined;
        if (status === 'pending_approval') {
          const approved = await rr.call('POST', `/v1/purchases/${id}/approve`, { by: options.owner });
          if (approved.status === 200) {
            outcome.approved = true;
            return outcome;
          }
          // A 409 after a lost answer: the approval went through; the next read shows it.
          if (approved.status !== 409)
            outcome.error = `approve: ${approved.status} ${JSON.stringify(approved.body)}`;
        } else if (status) {
          outcome.approved = ['approved', 'paid', 'completed'].includes(status);
          if (!outcome.approved) outcome.error = `status ${status}`;
          return outcome;
        }
        await sleep(300);
      }
      outcome.error = 'never approved in time';
      return outcome;
    }),
  );
}
