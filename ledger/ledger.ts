import { DEFAULT_ALERT_THRESHOLDS, type Thresholds } from './alerts.js';
import { KeyedBatcher, type Settled } from './batcher.js';
import { cycleAt } from './billing.js';
import type { Sql } from './db.js';
import { LedgerError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import { consumptionOrder, type LotState } from './lots.js';
import {
  entryColumns,
  loadBalanceParts,
  rowToHold,
  rowToLot,
  rowToTransaction,
  summarizeBalance,
} from './queries.js';
import {
  type Balance,
  type Clock,
  type Hold,
  LOT_TYPES,
  type Lot,
  type LotType,
  MAX_AMOUNT,
  SOURCES,
  type Source,
  type Transaction,
} from './types.js';
import { idempotencyConflict, type WorkspaceRow, WorkspaceTx } from './workspace-tx.js';

/** What the ledger needs from the catalog; kept narrow so the domain does not depend on its file format. */
export interface LedgerCatalog {
  plan(key: string): { kind: 'trial' | 'subscription'; credits: number } | undefined;
  /** Prices a debit named by operation; throws LedgerError naming the failing field. */
  priceDebit(input: { operation: string; quantity?: number; params?: Record<string, unknown> }): {
    amount: number;
    quantity: number;
  };
  priority(type: LotType): number;
  /** Default thresholds for workspaces that set none. */
  alertThresholds?(): Thresholds;
}

export interface LedgerOptions {
  clock?: Clock;
  /** Fixed cycle length instead of calendar months (tests run billing cycles in seconds). */
  cyclePeriodMs?: number;
  /** Called after every committed change of a workspace's balance (alerts hook in here). */
  onBalanceChange?: (change: BalanceChange) => void;
}

export interface BalanceChange {
  workspaceId: string;
  before: number;
  after: number;
  transactionIds: string[];
  /** Threshold crossings recorded in the outbox by this change. */
  alertEvents: number;
}

interface Actor {
  actor?: string | null;
  source?: Source;
  metadata?: Record<string, unknown>;
}

export interface DebitInput extends Actor {
  amount?: number;
  operation?: string;
  quantity?: number;
  params?: Record<string, unknown>;
  idempotencyKey: string;
}

export interface GrantInput extends Actor {
  type: LotType;
  amount: number;
  expiresAt?: Date | string | null;
  priority?: number;
  reason: string;
  idempotencyKey: string;
  /** Where the lot comes from: a plan cycle, a purchase, a manual grant (stored on the lot). */
  origin?: Record<string, unknown>;
}

export interface ReverseInput extends Actor {
  idempotencyKey: string;
  amount?: number;
  reason?: string;
}

export interface AdjustInput extends Actor {
  amount: number;
  reason: string;
  idempotencyKey: string;
  type?: LotType;
  expiresAt?: Date | string | null;
}

export interface HoldInput extends Actor {
  amount: number;
  timeoutSeconds?: number;
  operation?: string;
  idempotencyKey: string;
}

export interface CaptureInput extends Actor {
  amount: number;
  idempotencyKey: string;
}

export interface Scope {
  /** When set, ids belonging to another workspace are reported as not found. */
  workspaceId?: string;
}

export interface WriteResult {
  transaction: Transaction;
  balance: Balance;
  replayed: boolean;
}

export interface GrantResult extends WriteResult {
  lot: { id: string; type: LotType; amount: number; remaining: number; expiresAt: string | null };
}

export interface HoldResult {
  hold: Hold;
  balance: Balance;
  replayed: boolean;
}

export interface CaptureResult extends WriteResult {
  hold: Hold;
}

export interface ExpiryResult {
  workspaceId: string;
  transactions: Transaction[];
  balance: Balance;
}

export const DEFAULT_HOLD_TIMEOUT_SECONDS = 15 * 60;
export const MAX_HOLD_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** What `credits_debit_batch` answers (see migration 006). */
interface DebitBatchResult {
  ws: { plan: string; status: string; billingAnchor: string };
  before: number;
  after: number;
  alertEvents: number;
  items: (
    | { s: 'ok' | 'replay'; r: WriteResult }
    | { s: 'insufficient'; required: number; available: number }
    | { s: 'conflict' }
  )[];
}

interface PreparedDebit {
  input: DebitInput;
  amount: number;
  quantity: number | null;
  hash: string;
}

export class Ledger {
  private readonly clock: Clock;
  private readonly debits: KeyedBatcher<PreparedDebit, WriteResult>;

  constructor(
    readonly sql: Sql,
    readonly catalog: LedgerCatalog,
    private readonly options: LedgerOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.debits = new KeyedBatcher((ws, items) => this.runDebits(ws, items));
  }

  now(): Date {
    return this.clock();
  }

  // ---------------------------------------------------------------- reads

  async balance(workspaceId: string): Promise<Balance> {
    const parts = await loadBalanceParts(this.sql, workspaceId, this.clock());
    return summarizeBalance({ ...parts, renewal: this.renewal(parts.workspace, parts.now) });
  }

  async transaction(id: string, scope: Scope = {}): Promise<Transaction> {
    const entryId = parseId(id, 'transaction');
    const [row] = await this.sql`SELECT ${entryColumns(this.sql)} FROM journal j WHERE j.id = ${entryId}`;
    if (!row || (scope.workspaceId && row.workspace_id !== scope.workspaceId)) {
      throw LedgerError.notFound('transaction', id);
    }
    return rowToTransaction(row);
  }

  async lots(workspaceId: string, opts: { includeEmpty?: boolean } = {}): Promise<Lot[]> {
    await this.assertWorkspace(workspaceId);
    const rows = await this.sql`
      SELECT * FROM lots WHERE workspace_id = ${workspaceId}
        ${opts.includeEmpty ? this.sql`` : this.sql`AND remaining > 0`}
      ORDER BY priority, expires_at NULLS LAST, granted_at, id`;
    return rows.map(rowToLot);
  }

  async hold(id: string, scope: Scope = {}): Promise<Hold> {
    const holdId = parseId(id, 'hold');
    const [row] = await this.sql`SELECT * FROM holds WHERE id = ${holdId}`;
    if (!row || (scope.workspaceId && row.workspace_id !== scope.workspaceId))
      throw LedgerError.notFound('hold', id);
    const hold = rowToHold(row);
    // A timed-out hold is released whether or not a writer has got round to recording it.
    if (hold.status === 'active' && new Date(hold.expiresAt) <= this.clock()) hold.status = 'expired';
    return hold;
  }

  // ---------------------------------------------------------------- debits

  /** Consumes credits in the catalog's lot order, all or nothing. */
  async debit(workspaceId: string, input: DebitInput): Promise<WriteResult> {
    const key = checkKey(input.idempotencyKey);
    checkActor(input);
    let amount: number;
    let quantity: number | null = null;
    if (input.amount !== undefined && input.operation !== undefined) {
      throw LedgerError.field('amount', 'give either amount or operation, not both');
    }
    if (input.amount !== undefined) {
      amount = checkAmount('amount', input.amount);
    } else if (input.operation !== undefined) {
      const price = this.catalog.priceDebit({
        operation: input.operation,
        quantity: input.quantity,
        params: input.params,
      });
      amount = price.amount;
      quantity = price.quantity;
    } else {
      throw LedgerError.field('amount', 'give either amount or operation');
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
    return this.debits.submit(workspaceId, {
      input: { ...input, idempotencyKey: key },
      amount,
      quantity,
      hash,
    });
  }

  /**
   * One round trip per batch: `credits_debit_batch` (migration 006) locks the workspace, releases
   * timed-out holds, consumes lots in the order of lots.ts, remembers idempotency keys, updates
   * the alert state and outbox like alerts.ts, and commits (autocommit: the call is its own
   * transaction). Only `balance.renewal` comes from here, since it depends on the catalog; a replay
   * therefore shows the renewal as of the replay, everything else as first answered.
   */
  private async runDebits(workspaceId: string, items: PreparedDebit[]): Promise<Settled<WriteResult>[]> {
    const now = this.clock();
    const payload = items.map((i) => ({
      key: i.input.idempotencyKey,
      hash: i.hash,
      amount: i.amount,
      operation: i.input.operation ?? null,
      quantity: i.quantity,
      actor: i.input.actor ?? null,
      source: i.input.source ?? 'api',
      metadata: i.input.metadata ?? {},
    }));
    const [row] = await this.sql`
      SELECT credits_debit_batch(${workspaceId}, ${now}, ${JSON.stringify(payload)}::text::jsonb,
                                 ${JSON.stringify(this.alertDefaults())}::text::jsonb) AS r`;
    const batch = row!.r as DebitBatchResult | null;
    if (!batch) throw LedgerError.notFound('workspace', workspaceId);
    const renewal = this.renewal(
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
        default:
          return { ok: false, error: idempotencyConflict(items[i]!.input.idempotencyKey) };
      }
    });
    if (changes.length > 0) {
      this.notify({
        workspaceId,
        before: batch.before,
        after: batch.after,
        transactionIds: changes,
        alertEvents: batch.alertEvents,
      });
    }
    return results;
  }

  // ---------------------------------------------------------------- grants and corrections

  async grant(workspaceId: string, input: GrantInput): Promise<GrantResult> {
    const key = checkKey(input.idempotencyKey);
    checkActor(input);
    if (!LOT_TYPES.includes(input.type)) {
      throw LedgerError.field('type', `must be one of ${LOT_TYPES.join(', ')}`);
    }
    const amount = checkAmount('amount', input.amount);
    const reason = checkReason(input.reason);
    const expiresAt = parseExpiry(input.expiresAt, this.clock());
    const priority = input.priority ?? this.catalog.priority(input.type);
    if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000) {
      throw LedgerError.field('priority', 'must be an integer between -1000000 and 1000000');
    }
    const hash = fingerprint({
      op: 'grant',
      type: input.type,
      amount,
      expiresAt: expiresAt?.toISOString() ?? null,
      priority,
      reason,
      origin: input.origin,
      actor: input.actor,
      source: input.source,
      metadata: input.metadata,
    });
    return this.write(workspaceId, key, hash, async (w) => {
      const entryId = await w.nextEntryId();
      const lot = await w.newLot(
        {
          type: input.type,
          amount,
          priority,
          expiresAt,
          source: { kind: 'manual', reason, ...input.origin },
        },
        entryId,
      );
      const transaction = w.addEntry(entryId, {
        kind: 'grant',
        movements: [{ lot, delta: amount }],
        actor: input.actor ?? null,
        source: input.source ?? 'api',
        idempotencyKey: key,
        reason,
        metadata: input.metadata ?? {},
      });
      return {
        transaction,
        lot: {
          id: String(lot.id),
          type: lot.type,
          amount,
          remaining: lot.remaining,
          expiresAt: lot.expiresAt?.toISOString() ?? null,
        },
        balance: this.balanceIn(w, transaction),
      };
    });
  }

  /**
   * Refunds a debit (all of it, or part) into the lots it came from, most valuable first (the
   * reverse of consumption order). Credits going back to a lot that has expired meanwhile are
   * expired again at once, so a refund never revives expired credits.
   */
  async reverse(transactionId: string, input: ReverseInput, scope: Scope = {}): Promise<WriteResult> {
    const key = checkKey(input.idempotencyKey);
    checkActor(input);
    const entryId = parseId(transactionId, 'transaction');
    if (input.amount !== undefined) checkAmount('amount', input.amount);
    const [target] = await this.sql`SELECT workspace_id, kind, operation FROM journal WHERE id = ${entryId}`;
    if (!target || (scope.workspaceId && target.workspace_id !== scope.workspaceId)) {
      throw LedgerError.notFound('transaction', transactionId);
    }
    const hash = fingerprint({
      op: 'reverse',
      transactionId: String(entryId),
      amount: input.amount,
      reason: input.reason,
      actor: input.actor,
      source: input.source,
      metadata: input.metadata,
    });
    return this.write(target.workspace_id as string, key, hash, async (w) => {
      if (target.kind !== 'debit') {
        throw new LedgerError(
          'conflict',
          `transaction ${transactionId} is a ${target.kind}; only debits can be reversed`,
          {
            transactionId,
            kind: target.kind,
          },
        );
      }
      const rows = await w.tx`
        SELECT jl.lot_id,
               -jl.delta AS consumed,
               coalesce((SELECT sum(rl.delta) FROM journal r JOIN journal_lots rl ON rl.entry_id = r.id
                          WHERE r.reverses_id = ${entryId} AND r.kind = 'reverse' AND rl.lot_id = jl.lot_id), 0)::bigint AS reversed
          FROM journal_lots jl WHERE jl.entry_id = ${entryId} AND jl.delta < 0`;
      await w.loadLots(rows.map((r) => Number(r.lot_id)));
      const reversible = rows
        .map((r) => ({ lot: w.lots.get(Number(r.lot_id))!, left: Number(r.consumed) - Number(r.reversed) }))
        .filter((r) => r.left > 0)
        .sort((a, b) => consumptionOrder(b.lot, a.lot));
      const available = reversible.reduce((s, r) => s + r.left, 0);
      const amount = input.amount ?? available;
      if (available === 0 || amount > available) {
        throw new LedgerError(
          'conflict',
          available === 0
            ? `transaction ${transactionId} has nothing left to reverse`
            : `only ${available} credits of transaction ${transactionId} can still be reversed`,
          { transactionId, requested: amount, reversible: available },
        );
      }
      const movements: { lot: LotState; delta: number }[] = [];
      let left = amount;
      for (const r of reversible) {
        if (left === 0) break;
        const back = Math.min(r.left, left);
        movements.push({ lot: r.lot, delta: back });
        left -= back;
      }
      const transaction = w.addEntry(await w.nextEntryId(), {
        kind: 'reverse',
        movements,
        operation: (target.operation as string | null) ?? null,
        actor: input.actor ?? null,
        source: input.source ?? 'api',
        idempotencyKey: key,
        reversesId: entryId,
        reason: input.reason ?? null,
        metadata: input.metadata ?? {},
        usage: -amount,
      });
      await this.expireReturned(
        w,
        movements.map((m) => m.lot),
        'expired before the refund',
      );
      return { transaction, balance: this.balanceIn(w, transaction) };
    });
  }

  /** Operator correction: a positive amount adds a lot, a negative one removes credits in consumption order. */
  async adjust(workspaceId: string, input: AdjustInput): Promise<WriteResult> {
    const key = checkKey(input.idempotencyKey);
    checkActor(input);
    if (!Number.isSafeInteger(input.amount) || input.amount === 0 || Math.abs(input.amount) > MAX_AMOUNT) {
      throw LedgerError.field(
        'amount',
        `must be a non-zero whole number between -${MAX_AMOUNT} and ${MAX_AMOUNT}`,
      );
    }
    const reason = checkReason(input.reason);
    const type = input.type ?? 'promotional';
    if (!LOT_TYPES.includes(type)) throw LedgerError.field('type', `must be one of ${LOT_TYPES.join(', ')}`);
    const expiresAt = parseExpiry(input.expiresAt, this.clock());
    const hash = fingerprint({
      op: 'adjust',
      amount: input.amount,
      reason,
      type,
      expiresAt: expiresAt?.toISOString() ?? null,
      actor: input.actor,
      source: input.source,
      metadata: input.metadata,
    });
    return this.write(workspaceId, key, hash, async (w) => {
      const entryId = await w.nextEntryId();
      let movements: { lot: LotState; delta: number }[];
      if (input.amount > 0) {
        const lot = await w.newLot(
          {
            type,
            amount: input.amount,
            priority: this.catalog.priority(type),
            expiresAt,
            source: { kind: 'adjustment', reason },
          },
          entryId,
        );
        movements = [{ lot, delta: input.amount }];
      } else {
        const allocations = w.allocate(-input.amount);
        if (!allocations) throw insufficient(-input.amount, w.spendable());
        movements = allocations.map((a) => ({ lot: a.lot, delta: -a.amount }));
      }
      const transaction = w.addEntry(entryId, {
        kind: 'adjust',
        movements,
        actor: input.actor ?? null,
        source: input.source ?? 'cli',
        idempotencyKey: key,
        reason,
        metadata: input.metadata ?? {},
      });
      return { transaction, balance: this.balanceIn(w, transaction) };
    });
  }

  // ---------------------------------------------------------------- holds

  /** Reserves credits from the lots a debit would use now; nobody else can spend them until capture or release. */
  async placeHold(workspaceId: string, input: HoldInput): Promise<HoldResult> {
    const key = checkKey(input.idempotencyKey);
    checkActor(input);
    const amount = checkAmount('amount', input.amount);
    const timeout = input.timeoutSeconds ?? DEFAULT_HOLD_TIMEOUT_SECONDS;
    if (!Number.isSafeInteger(timeout) || timeout < 1 || timeout > MAX_HOLD_TIMEOUT_SECONDS) {
      throw LedgerError.field(
        'timeoutSeconds',
        `must be a whole number of seconds from 1 to ${MAX_HOLD_TIMEOUT_SECONDS}`,
      );
    }
    const hash = fingerprint({
      op: 'hold',
      amount,
      timeout,
      operation: input.operation,
      actor: input.actor,
      source: input.source,
      metadata: input.metadata,
    });
    return this.onWorkspace<HoldResult>(workspaceId, this.clock(), { keys: [key] }, async (w) => {
      const tx = w.tx;
      const replay = w.lookupKey(key, hash);
      if (replay) return { value: { ...(replay.replay as HoldResult), replayed: true }, changed: false };
      const allocations = w.allocate(amount);
      if (!allocations) throw insufficient(amount, w.spendable());
      const expiresAt = new Date(w.now.getTime() + timeout * 1000);
      const [row] = await tx`
        INSERT INTO holds (workspace_id, amount, status, actor, source, operation, metadata, created_at, expires_at)
        VALUES (${workspaceId}, ${amount}, 'active', ${input.actor ?? null}, ${input.source ?? 'api'},
                ${input.operation ?? null}, ${JSON.stringify(input.metadata ?? {})}::text::jsonb, ${w.now}, ${expiresAt})
        RETURNING *`;
      await tx`
        INSERT INTO hold_lots (hold_id, lot_id, amount)
        SELECT ${row!.id}, x.lot_id, x.amount
          FROM jsonb_to_recordset(${JSON.stringify(allocations.map((a) => ({ lot_id: a.lot.id, amount: a.amount })))}::text::jsonb)
               AS x(lot_id bigint, amount bigint)`;
      for (const a of allocations) w.moveHeld(a.lot, -a.amount);
      const response: HoldResult = {
        hold: rowToHold(row!),
        balance: this.balanceIn(w, null),
        replayed: false,
      };
      w.rememberKey(key, hash, response);
      return { value: response, changed: true };
    });
  }

  /** Debits up to the held amount from the held lots; whatever is not captured goes back. */
  async capture(holdId: string, input: CaptureInput, scope: Scope = {}): Promise<CaptureResult> {
    const key = checkKey(input.idempotencyKey);
    checkActor(input);
    const amount = checkAmount('amount', input.amount);
    const id = parseId(holdId, 'hold');
    const owner = await this.holdOwner(id, holdId, scope);
    const hash = fingerprint({
      op: 'capture',
      holdId: String(id),
      amount,
      actor: input.actor,
      source: input.source,
      metadata: input.metadata,
    });
    return this.write(owner, key, hash, async (w) => {
      const hold = await this.activeHold(w, id, holdId);
      if (amount > hold.amount) {
        throw LedgerError.field('amount', `${amount} exceeds the held amount ${hold.amount}`);
      }
      const lots = await this.giveBackHold(w, id);
      let left = amount;
      const movements: { lot: LotState; delta: number }[] = [];
      for (const lot of lots) {
        if (left === 0) break;
        const take = Math.min(lot.held, left);
        movements.push({ lot: lot.lot, delta: -take });
        left -= take;
      }
      const transaction = w.addEntry(await w.nextEntryId(), {
        kind: 'debit',
        movements,
        operation: hold.operation,
        actor: input.actor ?? hold.actor,
        source: input.source ?? hold.source,
        idempotencyKey: key,
        holdId: id,
        metadata: { ...hold.metadata, ...input.metadata },
        usage: amount,
      });
      const [row] = await w.tx`
        UPDATE holds SET status = 'captured', captured = ${amount}, capture_id = ${Number(transaction.id)},
                         closed_at = ${w.now}
         WHERE id = ${id} RETURNING *`;
      await this.expireReturned(
        w,
        lots.map((l) => l.lot),
        'expired while held',
      );
      return { hold: rowToHold(row!), transaction, balance: this.balanceIn(w, transaction) };
    });
  }

  /** Gives every held credit back. Releasing a released or timed-out hold is a no-op; a captured one is refused. */
  async release(holdId: string, scope: Scope = {}): Promise<HoldResult> {
    const id = parseId(holdId, 'hold');
    const owner = await this.holdOwner(id, holdId, scope);
    return this.onWorkspace<HoldResult>(owner, this.clock(), {}, async (w) => {
      const [current] = await w.tx`SELECT * FROM holds WHERE id = ${id}`;
      if (current!.status === 'released' || current!.status === 'expired') {
        return {
          value: { hold: rowToHold(current!), balance: this.balanceIn(w, null), replayed: true },
          changed: false,
        };
      }
      if (current!.status === 'captured') {
        throw new LedgerError('hold_not_active', `hold ${holdId} was already captured`, {
          holdId,
          status: 'captured',
        });
      }
      const lots = await this.giveBackHold(w, id);
      const [row] =
        await w.tx`UPDATE holds SET status = 'released', closed_at = ${w.now} WHERE id = ${id} RETURNING *`;
      await this.expireReturned(
        w,
        lots.map((l) => l.lot),
        'expired while held',
      );
      return {
        value: { hold: rowToHold(row!), balance: this.balanceIn(w, null), replayed: false },
        changed: true,
      };
    });
  }

  // ---------------------------------------------------------------- expiry

  /**
   * Writes `expire` entries for lots past their date that still hold credits, and releases holds
   * past their timeout. Balances were already right before (expired lots are never counted); this
   * makes the journal say so. Safe to run concurrently and repeatedly: each workspace is locked
   * and only what is still unexpired at that moment is expired.
   */
  async expireDue(opts: { workspaceId?: string; now?: Date } = {}): Promise<ExpiryResult[]> {
    const now = opts.now ?? this.clock();
    const workspaces = opts.workspaceId
      ? [opts.workspaceId]
      : (
          await this.sql`
            SELECT workspace_id FROM lots WHERE remaining > 0 AND expires_at <= ${now}
            UNION
            SELECT workspace_id FROM holds WHERE status = 'active' AND expires_at <= ${now}`
        ).map((r) => r.workspace_id as string);
    const results: ExpiryResult[] = [];
    for (const workspaceId of workspaces) {
      const result = await this.onWorkspace(workspaceId, now, {}, async (w) => {
        const due = await w.tx`
          SELECT id FROM lots WHERE workspace_id = ${workspaceId} AND remaining > 0 AND expires_at <= ${now}`;
        await w.loadLots(due.map((r) => Number(r.id)));
        const transactions = await this.expireReturned(
          w,
          due.map((r) => w.lots.get(Number(r.id))!),
          'expired',
        );
        const last = transactions.at(-1) ?? null;
        return {
          value: { workspaceId, transactions, balance: this.balanceIn(w, last) },
          changed: transactions.length > 0,
          transactionIds: transactions.map((t) => t.id),
        };
      });
      results.push(result);
    }
    return results;
  }

  // ---------------------------------------------------------------- internals

  /** Runs one idempotent write on a locked workspace and reports the balance change once committed. */
  private async write<R extends { transaction: Transaction; balance: Balance }>(
    workspaceId: string,
    key: string,
    hash: string,
    body: (w: WorkspaceTx) => Promise<R>,
  ): Promise<R & { replayed: boolean }> {
    return this.onWorkspace<R & { replayed: boolean }>(
      workspaceId,
      this.clock(),
      { keys: [key], reserveEntries: 1 },
      async (w) => {
        const replay = w.lookupKey(key, hash);
        if (replay) return { value: { ...(replay.replay as R), replayed: true }, changed: false };
        const response = { ...(await body(w)), replayed: false };
        w.rememberKey(key, hash, response);
        return { value: response, changed: true, transactionIds: [response.transaction.id] };
      },
    );
  }

  /** Expires, in one entry per lot, whatever the given lots hold past their date. */
  private async expireReturned(w: WorkspaceTx, lots: LotState[], reason: string): Promise<Transaction[]> {
    const out: Transaction[] = [];
    const seen = new Set<number>();
    for (const lot of lots) {
      if (seen.has(lot.id)) continue;
      seen.add(lot.id);
      if (lot.remaining === 0 || lot.expiresAt === null || lot.expiresAt.getTime() > w.now.getTime())
        continue;
      out.push(
        w.addEntry(await w.nextEntryId(), {
          kind: 'expire',
          movements: [{ lot, delta: -lot.remaining }],
          actor: 'system:expiry',
          source: 'workflow',
          reason,
          metadata: { lotType: lot.type, expiredAt: lot.expiresAt.toISOString() },
        }),
      );
    }
    return out;
  }

  private async holdOwner(id: number, raw: string, scope: Scope): Promise<string> {
    const [row] = await this.sql`SELECT workspace_id FROM holds WHERE id = ${id}`;
    if (!row || (scope.workspaceId && row.workspace_id !== scope.workspaceId))
      throw LedgerError.notFound('hold', raw);
    return row.workspace_id as string;
  }

  private async activeHold(w: WorkspaceTx, id: number, raw: string): Promise<Hold> {
    const [row] = await w.tx`SELECT * FROM holds WHERE id = ${id}`;
    const hold = rowToHold(row!);
    if (hold.status !== 'active') {
      throw new LedgerError('hold_not_active', `hold ${raw} is ${hold.status}`, {
        holdId: raw,
        status: hold.status,
      });
    }
    return hold;
  }

  /** Returns a hold's reserved credits to their lots (in memory and on flush); lots come back in consumption order. */
  private async giveBackHold(w: WorkspaceTx, id: number): Promise<{ lot: LotState; held: number }[]> {
    const rows = await w.tx`SELECT lot_id, amount FROM hold_lots WHERE hold_id = ${id}`;
    await w.loadLots(rows.map((r) => Number(r.lot_id)));
    const lots = rows
      .map((r) => ({ lot: w.lots.get(Number(r.lot_id))!, held: Number(r.amount) }))
      .sort((a, b) => consumptionOrder(a.lot, b.lot));
    for (const l of lots) w.moveHeld(l.lot, l.held);
    return lots;
  }

  private balanceIn(w: WorkspaceTx, last: Transaction | null): Balance {
    return summarizeBalance({
      workspace: w.workspace,
      lots: w.spendableLots(),
      held: w.held,
      lifetimeUsed: w.lifetimeUsed,
      lastTransaction: last,
      now: w.now,
      renewal: this.renewal(w.workspace, w.now),
    });
  }

  private renewal(
    workspace: Pick<WorkspaceRow, 'plan' | 'status' | 'billingAnchor'>,
    now: Date,
  ): { amount: number; at: string } | null {
    const plan = this.catalog.plan(workspace.plan);
    if (plan?.kind !== 'subscription') return null;
    if (workspace.status !== 'active' && workspace.status !== 'trialing') return null;
    const cycle = cycleAt(workspace.billingAnchor, now, this.options.cyclePeriodMs);
    return { amount: plan.credits, at: cycle.end.toISOString() };
  }

  private async assertWorkspace(workspaceId: string): Promise<void> {
    const [row] = await this.sql`SELECT 1 FROM workspaces WHERE id = ${workspaceId}`;
    if (!row) throw LedgerError.notFound('workspace', workspaceId);
  }

  /**
   * One transaction on a locked workspace: `body` works on it, everything it recorded is flushed
   * in one statement, and once committed a change of balance is reported (alerts wake up).
   */
  private async onWorkspace<V>(
    workspaceId: string,
    now: Date,
    opts: { keys?: string[]; reserveEntries?: number },
    body: (w: WorkspaceTx) => Promise<{ value: V; changed: boolean; transactionIds?: string[] }>,
  ): Promise<V> {
    const committed: { change?: BalanceChange } = {};
    const value = await this.sql.begin(async (tx) => {
      const w = await this.openTx(tx, workspaceId, now, opts);
      const before = w.spendable();
      const out = await body(w);
      await w.flush();
      if (out.changed) {
        committed.change = {
          workspaceId,
          before,
          after: w.spendable(),
          transactionIds: out.transactionIds ?? [],
          alertEvents: w.alertEvents.length,
        };
      }
      return out.value;
    });
    if (committed.change) this.notify(committed.change);
    return value as V;
  }

  private openTx(
    tx: Parameters<typeof WorkspaceTx.open>[0],
    workspaceId: string,
    now: Date,
    opts: { keys?: string[]; reserveEntries?: number } = {},
  ): Promise<WorkspaceTx> {
    return WorkspaceTx.open(tx, workspaceId, now, {
      ...opts,
      alertDefaults: this.alertDefaults(),
    });
  }

  private alertDefaults(): Thresholds {
    return this.catalog.alertThresholds?.() ?? DEFAULT_ALERT_THRESHOLDS;
  }

  private notify(change: BalanceChange): void {
    if (!this.options.onBalanceChange) return;
    try {
      this.options.onBalanceChange(change);
    } catch {
      // A listener's failure must not turn a committed write into an error for the caller.
    }
  }
}

// ---------------------------------------------------------------- validation helpers

export function insufficient(required: number, available: number): LedgerError {
  return new LedgerError(
    'insufficient_credits',
    `insufficient credits: ${required} required, ${available} available`,
    { required, available },
  );
}

function checkAmount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT) {
    throw LedgerError.field(field, `must be a whole number of credits from 1 to ${MAX_AMOUNT}`);
  }
  return value;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.trim().length === 0 || key.length > 255) {
    throw LedgerError.field('idempotencyKey', 'is required: a non-empty string of at most 255 characters');
  }
  return key;
}

function checkReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 1000) {
    throw LedgerError.field('reason', 'is required: say why, in at most 1000 characters');
  }
  return reason.trim();
}

function checkActor(input: Actor): void {
  if (input.source !== undefined && !SOURCES.includes(input.source)) {
    throw LedgerError.field('source', `must be one of ${SOURCES.join(', ')}`);
  }
  if (input.actor != null && (typeof input.actor !== 'string' || input.actor.length > 200)) {
    throw LedgerError.field('actor', 'must be a string of at most 200 characters');
  }
}

function parseExpiry(value: Date | string | null | undefined, now: Date): Date | null {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw LedgerError.field('expiresAt', 'must be an ISO-8601 date-time');
  if (date.getTime() <= now.getTime()) throw LedgerError.field('expiresAt', 'must be in the future');
  return date;
}

function parseId(raw: string, what: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw LedgerError.notFound(what, raw);
  return Number(raw);
}
