import type { Settled } from '../batcher.js';
import { CreditsError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { idempotencyConflict } from '../workspace-tx.js';
import { runByWorkspace } from './by-workspace.js';
import type { CommandContext } from './context.js';
import {
  type CaptureInput,
  type CaptureResult,
  DEFAULT_HOLD_TIMEOUT_SECONDS,
  type HoldBatchResult,
  type HoldInput,
  type HoldResult,
  type PreparedHoldOp,
  type QueuedHoldOp,
  type Scope,
} from './types.js';
import {
  budgetExceeded,
  checkActor,
  checkAmount,
  checkHoldTimeout,
  checkKey,
  checkText,
  insufficient,
  parseId,
} from './validation.js';

/** Checks a hold before it joins a batch: it will reserve credits from the lots a debit would use now. */
export function prepareHold(input: HoldInput): PreparedHoldOp {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  if (typeof input.operation === 'string') checkText('operation', input.operation);
  const amount = checkAmount('amount', input.amount);
  const timeout = checkHoldTimeout(input.timeoutSeconds ?? DEFAULT_HOLD_TIMEOUT_SECONDS);
  const hash = fingerprint({
    op: 'hold',
    amount,
    timeout,
    operation: input.operation,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return { kind: 'hold', key, hash, amount, timeout, input };
}

/** Checks a capture: it debits up to the held amount from the held lots, and whatever is not captured goes back. */
export function prepareCapture(holdId: string, input: CaptureInput): PreparedHoldOp {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  const amount = checkAmount('amount', input.amount);
  const id = parseId(holdId, 'hold');
  const hash = fingerprint({
    op: 'capture',
    holdId: String(id),
    amount,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return { kind: 'capture', holdId: id, raw: holdId, key, hash, amount, input };
}

/** A release gives every held credit back; releasing a released or timed-out hold is a no-op. */
export function prepareRelease(holdId: string): PreparedHoldOp {
  return { kind: 'release', holdId: parseId(holdId, 'hold'), raw: holdId };
}

/**
 * The workspace a hold belongs to, so a capture or release can join its workspace's batch. A hold
 * never changes workspace, so the owners of holds this process placed are kept (the usual capture
 * follows its hold) and the others read; the scope is checked either way.
 */
export class HoldOwners {
  private readonly known = new Map<number, string>();

  constructor(
    private readonly ctx: CommandContext,
    private readonly capacity = 10_000,
  ) {}

  remember(holdId: string, workspaceId: string): void {
    const id = Number(holdId);
    this.known.delete(id);
    this.known.set(id, workspaceId);
    // Oldest first: a Map iterates in insertion order.
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
  }

  async of(op: PreparedHoldOp, scope: Scope): Promise<string> {
    if (op.kind === 'hold') throw new Error('a hold to be placed has no owner yet');
    let owner = this.known.get(op.holdId);
    if (owner === undefined) {
      const [row] = await this.ctx.sql`SELECT workspace_id FROM holds WHERE id = ${op.holdId}`;
      owner = row?.workspace_id as string | undefined;
    }
    if (owner === undefined || (scope.workspaceId && owner !== scope.workspaceId))
      throw CreditsError.notFound('hold', op.raw);
    return owner;
  }
}

/**
 * One round trip and one commit for holds, captures and releases of any workspaces:
 * `credits_hold_multi` (ledger/sql/functions) locks the workspaces in id order and works through each
 * one's items in order of arrival, by the rules the TypeScript path had (test/ledger/hold-reference.ts).
 * As for debits, only `balance.renewal` comes from here.
 */
export async function runHoldBatch(
  ctx: CommandContext,
  queued: QueuedHoldOp[],
): Promise<Settled<HoldResult | CaptureResult>[]> {
  const now = ctx.now();
  return runByWorkspace(
    queued,
    async (groups) => {
      const payload = groups.map((g) => ({ ws: g.ws, items: g.items.map((q) => opPayload(q.op)) }));
      const [row] = await ctx.sql`
        SELECT credits_hold_multi(${now}, ${JSON.stringify(payload)}::text::jsonb,
                                  ${JSON.stringify(ctx.alertDefaults())}::text::jsonb) AS r`;
      return row!.r as (HoldBatchResult | null)[];
    },
    (ws, items, answer) =>
      settleWorkspace(
        ctx,
        ws,
        now,
        items.map((q) => q.op),
        answer,
      ),
  );
}

function opPayload(op: PreparedHoldOp) {
  switch (op.kind) {
    case 'hold':
      return {
        kind: op.kind,
        key: op.key,
        hash: op.hash,
        amount: op.amount,
        timeout: op.timeout,
        operation: op.input.operation ?? null,
        actor: op.input.actor ?? null,
        source: op.input.source ?? 'api',
        metadata: op.input.metadata ?? {},
        member: op.input.spender?.memberId ?? null,
        apiKey: op.input.spender?.apiKeyId ?? null,
      };
    case 'capture':
      return {
        kind: op.kind,
        hold: op.holdId,
        key: op.key,
        hash: op.hash,
        amount: op.amount,
        // Null falls back to the hold's own actor and source, as `??` did.
        actor: op.input.actor ?? null,
        source: op.input.source ?? null,
        metadata: op.input.metadata ?? {},
      };
    default:
      return { kind: op.kind, hold: op.holdId };
  }
}

function settleWorkspace(
  ctx: CommandContext,
  workspaceId: string,
  now: Date,
  ops: PreparedHoldOp[],
  batch: HoldBatchResult,
): Settled<HoldResult | CaptureResult>[] {
  const renewal = ctx.renewal(
    { plan: batch.ws.plan, status: batch.ws.status, billingAnchor: new Date(batch.ws.billingAnchor) },
    now,
  );
  const results = batch.items.map((item, i): Settled<HoldResult | CaptureResult> => {
    const op = ops[i]!;
    switch (item.s) {
      case 'ok':
        return { ok: true, value: { ...item.r, balance: { ...item.r.balance, renewal } } };
      case 'replay':
        return { ok: true, value: { ...item.r, balance: { ...item.r.balance, renewal }, replayed: true } };
      case 'conflict':
        return { ok: false, error: idempotencyConflict(op.kind === 'release' ? '' : op.key) };
      case 'insufficient':
        return { ok: false, error: insufficient(item.required, item.available) };
      case 'budget':
        return { ok: false, error: budgetExceeded(item) };
      case 'exceeds':
        return {
          ok: false,
          error: CreditsError.field(
            'amount',
            `${op.kind === 'capture' ? op.amount : 0} exceeds the held amount ${item.held}`,
          ),
        };
      default:
        return { ok: false, error: holdRefusal(op, item) };
    }
  });
  if (batch.changed) {
    ctx.notify({
      workspaceId,
      before: batch.before,
      after: batch.after,
      transactionIds: batch.transactionIds,
      alertEvents: batch.alertEvents,
    });
  }
  return results;
}

function holdRefusal(
  op: PreparedHoldOp,
  item: { s: 'not_found' } | { s: 'not_active'; status: string } | { s: 'captured' },
): CreditsError {
  const raw = op.kind === 'hold' ? '' : op.raw;
  if (item.s === 'not_found') return CreditsError.notFound('hold', raw);
  if (item.s === 'captured') {
    return new CreditsError('hold_not_active', `hold ${raw} was already captured`, {
      holdId: raw,
      status: 'captured',
    });
  }
  return new CreditsError('hold_not_active', `hold ${raw} is ${item.status}`, {
    holdId: raw,
    status: item.status,
  });
}
