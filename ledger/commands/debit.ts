import type { Settled } from '../batcher.js';
import { CreditsError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { idempotencyConflict } from '../workspace-tx.js';
import { runByWorkspace } from './by-workspace.js';
import type { CommandContext } from './context.js';
import type {
  DebitBatchResult,
  DebitInput,
  LedgerCatalog,
  PreparedDebit,
  QueuedDebit,
  WriteResult,
} from './types.js';
import {
  budgetExceeded,
  checkActor,
  checkAmount,
  checkJsonText,
  checkKey,
  checkText,
  insufficient,
} from './validation.js';

/** Checks and prices one debit (by amount, or by operation through the catalog) before it joins a batch. */
export function prepareDebit(catalog: LedgerCatalog, input: DebitInput): PreparedDebit {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  if (typeof input.operation === 'string') checkText('operation', input.operation);
  if (input.params !== undefined) checkJsonText('params', input.params);
  let amount: number;
  let quantity: number | null = null;
  if (input.amount !== undefined && input.operation !== undefined) {
    throw CreditsError.field('amount', 'give either amount or operation, not both');
  }
  if (input.amount !== undefined) {
    amount = checkAmount('amount', input.amount);
  } else if (input.operation !== undefined) {
    const price = catalog.priceDebit({
      operation: input.operation,
      quantity: input.quantity,
      params: input.params,
    });
    amount = price.amount;
    quantity = price.quantity;
  } else {
    throw CreditsError.field('amount', 'give either amount or operation');
  }
  const hash = fingerprint({
    op: 'debit',
    amount: input.amount,
    operation: input.operation,
    quantity: input.quantity,
    params: input.params,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return { input: { ...input, idempotencyKey: key }, amount, quantity, hash };
}

/**
 * One round trip and one commit per batch, whatever the workspaces: `credits_debit_multi`
 * (ledger/sql/functions, set-based: a fixed number of statements per call) locks the workspaces
 * in id order and for each releases timed-out holds, consumes lots in the order of lots.ts,
 * remembers idempotency keys, updates the alert state and outbox like alerts.ts. Each workspace
 * appears once per call (grouped here). Items of one
 * workspace keep their order of arrival. Only `balance.renewal` comes from here, since it depends
 * on the catalog; a replay therefore shows the renewal as of the replay, everything else as first
 * answered.
 */
export async function runDebitBatch(
  ctx: CommandContext,
  queued: QueuedDebit[],
): Promise<Settled<WriteResult>[]> {
  const now = ctx.now();
  return runByWorkspace(
    queued,
    async (groups) => {
      const payload = groups.map((g) => ({ ws: g.ws, items: g.items.map((q) => debitPayload(q.debit)) }));
      const [row] = await ctx.sql`
        SELECT credits_debit_multi(${now}, ${JSON.stringify(payload)}::text::jsonb,
                                   ${JSON.stringify(ctx.alertDefaults())}::text::jsonb) AS r`;
      return row!.r as (DebitBatchResult | null)[];
    },
    (ws, items, answer) =>
      settleWorkspace(
        ctx,
        ws,
        now,
        items.map((q) => q.debit),
        answer,
      ),
  );
}

function debitPayload(i: PreparedDebit) {
  return {
    key: i.input.idempotencyKey,
    hash: i.hash,
    amount: i.amount,
    operation: i.input.operation ?? null,
    quantity: i.quantity,
    actor: i.input.actor ?? null,
    source: i.input.source ?? 'api',
    metadata: i.input.metadata ?? {},
    member: i.input.spender?.memberId ?? null,
    apiKey: i.input.spender?.apiKeyId ?? null,
  };
}

/** One workspace's outcomes, and its balance change reported once for all its debits of the batch. */
function settleWorkspace(
  ctx: CommandContext,
  workspaceId: string,
  now: Date,
  items: PreparedDebit[],
  batch: DebitBatchResult,
): Settled<WriteResult>[] {
  const renewal = ctx.renewal(
    { plan: batch.ws.plan, status: batch.ws.status, billingAnchor: new Date(batch.ws.billingAnchor) },
    now,
  );
  const changes: string[] = [];
  const results = batch.items.map((item, i): Settled<WriteResult> => {
    switch (item.s) {
      case 'ok': {
        const value = item.r;
        // The same objects the in-memory path returned: the caller's metadata, one transaction.
        value.transaction.metadata = items[i]!.input.metadata ?? {};
        value.balance.lastTransaction = value.transaction;
        value.balance.renewal = renewal;
        changes.push(value.transaction.id);
        return { ok: true, value };
      }
      case 'replay':
        return {
          ok: true,
          value: { ...item.r, balance: { ...item.r.balance, renewal }, replayed: true },
        };
      case 'insufficient':
        return { ok: false, error: insufficient(item.required, item.available) };
      case 'budget':
        return { ok: false, error: budgetExceeded(item) };
      default:
        return { ok: false, error: idempotencyConflict(items[i]!.input.idempotencyKey) };
    }
  });
  if (changes.length > 0) {
    ctx.notify({
      workspaceId,
      before: batch.before,
      after: batch.after,
      transactionIds: changes,
      alertEvents: batch.alertEvents,
    });
  }
  return results;
}
