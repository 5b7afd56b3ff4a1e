import {
  type AlertEventDraft,
  DEFAULT_ALERT_THRESHOLDS,
  evaluateAlerts,
  sameState,
  type Thresholds,
  thresholdsFor,
} from './alerts.js';
import type { TxSql } from './db.js';
import { CreditsError } from './errors.js';
import type { KeyNamespace } from './idempotency.js';
import { type Allocation, allocate, isSpendable, type LotState, spendable } from './lots.js';
import type { LotType, Transaction } from './types.js';
import {
  type EntryDraft,
  parseLot,
  type RawLot,
  toTransaction,
  toWorkspaceRow,
  type WorkspaceRow,
} from './workspace-rows.js';

export interface NewLotDraft {
  type: LotType;
  amount: number;
  priority: number;
  expiresAt: Date | null;
  source: Record<string, unknown>;
  /** Cost basis: what the whole lot cost, in minor units of `currency` (0 when free). */
  priceMinor?: bigint;
  currency?: string | null;
}

interface StoredKey {
  hash: string;
  response: unknown;
}

interface PendingEntry {
  id: number;
  draft: EntryDraft;
  delta: number;
  balanceAfter: number;
}

interface PendingLot {
  lot: LotState;
  amount: number;
  grantId: number;
  source: Record<string, unknown>;
  priceMinor: bigint;
  currency: string | null;
}

/**
 * One write transaction on one workspace. `open` takes the workspace row lock (so every writer
 * of a workspace runs one after another), reads the spendable lots once, and the caller then
 * works in memory; `flush` writes every entry, lot change and idempotency record in a single
 * statement. The lots' CHECK constraints still guard against a bug producing a negative lot.
 */
export class WorkspaceTx {
  readonly lots = new Map<number, LotState>();
  held = 0;
  private readonly keys = new Map<string, StoredKey>();
  private readonly newKeys: { key: string; hash: string; response: unknown }[] = [];
  private readonly entries: PendingEntry[] = [];
  private readonly newLots: PendingLot[] = [];
  private readonly lotDeltas = new Map<number, number>();
  private readonly reservedIds: number[] = [];
  private lifetimeUsedDelta = 0;
  /** Threshold crossings written by the last flush (already in the outbox). */
  alertEvents: AlertEventDraft[] = [];
  private thresholds: Thresholds = { ...DEFAULT_ALERT_THRESHOLDS };

  private constructor(
    readonly tx: TxSql,
    readonly workspace: WorkspaceRow,
    readonly now: Date,
    /** The namespace of the idempotency keys this transaction looks up and records. */
    readonly namespace: KeyNamespace = 'client',
  ) {}

  static async open(
    tx: TxSql,
    workspaceId: string,
    now: Date,
    opts: {
      keys?: string[];
      namespace?: KeyNamespace;
      reserveEntries?: number;
      alertDefaults?: Thresholds;
    } = {},
  ): Promise<WorkspaceTx> {
    const [row] = await tx`
      SELECT w.id, w.name, w.plan, w.status, w.billing_anchor, w.lifetime_used, w.settings, w.alert_state,
             EXISTS (SELECT 1 FROM holds h
                      WHERE h.workspace_id = w.id AND h.status = 'active' AND h.expires_at <= ${now}) AS stale_holds
        FROM workspaces w WHERE w.id = ${workspaceId} FOR UPDATE`;
    if (!row) throw CreditsError.notFound('workspace', workspaceId);
    const namespace = opts.namespace ?? 'client';
    const wtx = new WorkspaceTx(tx, toWorkspaceRow(row), now, namespace);
    wtx.thresholds = thresholdsFor(wtx.workspace.settings, opts.alertDefaults ?? wtx.thresholds);
    if (row.stale_holds) await releaseTimedOutHolds(tx, workspaceId, now);
    const [state] = await tx`
      SELECT
        (SELECT coalesce(json_agg(json_build_object(
                  'id', id, 'type', type, 'remaining', remaining, 'priority', priority,
                  'grantedAt', granted_at, 'expiresAt', expires_at)), '[]'::json)
           FROM lots
          WHERE workspace_id = ${workspaceId} AND remaining > 0
            AND (expires_at IS NULL OR expires_at > ${now})) AS lots,
        (SELECT coalesce(sum(amount), 0)::bigint FROM holds
          WHERE workspace_id = ${workspaceId} AND status = 'active') AS held,
        (SELECT coalesce(json_agg(json_build_object('key', key, 'hash', request_hash, 'response', response)), '[]'::json)
           FROM idempotency_keys
          WHERE workspace_id = ${workspaceId} AND namespace = ${namespace}
            AND key IN (SELECT jsonb_array_elements_text(${JSON.stringify(opts.keys ?? [])}::text::jsonb))) AS keys,
        (SELECT coalesce(array_agg(nextval('journal_id_seq')), '{}')
           FROM generate_series(1, ${opts.reserveEntries ?? 0})) AS ids`;
    for (const l of state!.lots as RawLot[]) wtx.addLoadedLot(parseLot(l));
    wtx.held = state!.held as number;
    for (const k of state!.keys as { key: string; hash: string; response: unknown }[]) {
      wtx.keys.set(k.key, { hash: k.hash, response: k.response });
    }
    for (const id of state!.ids as (string | number)[]) wtx.reservedIds.push(Number(id));
    return wtx;
  }

  /** Loads lots that may be outside the spendable set (expired or empty), e.g. for a reversal. */
  async loadLots(ids: number[]): Promise<void> {
    const missing = ids.filter((id) => !this.lots.has(id));
    if (missing.length === 0) return;
    const rows = await this.tx`
      SELECT id, type, remaining, priority, granted_at AS "grantedAt", expires_at AS "expiresAt"
        FROM lots WHERE workspace_id = ${this.workspace.id}
         AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(missing)}::text::jsonb)::bigint)`;
    for (const r of rows) this.addLoadedLot(parseLot(r as unknown as RawLot));
  }

  private addLoadedLot(lot: LotState): void {
    this.lots.set(lot.id, lot);
  }

  spendable(): number {
    return spendable([...this.lots.values()], this.now);
  }

  allocate(amount: number): Allocation[] | null {
    return allocate([...this.lots.values()], amount, this.now);
  }

  spendableLots(): LotState[] {
    return [...this.lots.values()].filter((l) => isSpendable(l, this.now));
  }

  get lifetimeUsed(): number {
    return this.workspace.lifetimeUsed + this.lifetimeUsedDelta;
  }

  /** The stored answer for a key: `replay` when the request matches, a conflict error otherwise. */
  lookupKey(key: string, hash: string): { replay: unknown } | null {
    const stored = this.keys.get(key);
    if (!stored) return null;
    if (stored.hash !== hash) throw idempotencyConflict(key);
    return { replay: stored.response };
  }

  /** Reads the stored answers of keys that were not asked for when the transaction opened. */
  async loadKeys(keys: string[]): Promise<void> {
    const missing = keys.filter((k) => !this.keys.has(k));
    if (missing.length === 0) return;
    const rows = await this.tx`
      SELECT key, request_hash AS hash, response FROM idempotency_keys
       WHERE workspace_id = ${this.workspace.id} AND namespace = ${this.namespace}
         AND key IN (SELECT jsonb_array_elements_text(${JSON.stringify(missing)}::text::jsonb))`;
    for (const r of rows) this.keys.set(r.key as string, { hash: r.hash as string, response: r.response });
  }

  /** The answer stored under a key, whatever request it was for (undefined when unused). */
  storedAnswer(key: string): unknown {
    return this.keys.get(key)?.response;
  }

  rememberKey(key: string, hash: string, response: unknown): void {
    this.keys.set(key, { hash, response });
    this.newKeys.push({ key, hash, response });
  }

  async nextEntryId(): Promise<number> {
    if (this.reservedIds.length === 0) {
      const rows = await this.tx`SELECT nextval('journal_id_seq') AS id FROM generate_series(1, 4)`;
      for (const r of rows) this.reservedIds.push(Number(r.id));
    }
    return this.reservedIds.shift()!;
  }

  /** Creates a lot owned by the entry `grantId` (whose movement must credit it). */
  async newLot(draft: NewLotDraft, grantId: number): Promise<LotState> {
    const [row] = await this.tx`SELECT nextval('lots_id_seq') AS id`;
    const lot: LotState = {
      id: Number(row!.id),
      type: draft.type,
      remaining: 0,
      priority: draft.priority,
      grantedAt: this.now,
      expiresAt: draft.expiresAt,
    };
    this.lots.set(lot.id, lot);
    this.newLots.push({
      lot,
      amount: draft.amount,
      grantId,
      source: draft.source,
      priceMinor: draft.priceMinor ?? 0n,
      currency: draft.currency ?? null,
    });
    return lot;
  }

  /** Records an entry and applies its movements to the in-memory lots. */
  addEntry(id: number, draft: EntryDraft): Transaction {
    let delta = 0;
    for (const m of draft.movements) {
      if (m.lot.remaining + m.delta < 0) throw new Error(`lot ${m.lot.id} would go negative`);
      m.lot.remaining += m.delta;
      delta += m.delta;
      if (!this.newLots.some((n) => n.lot === m.lot)) {
        this.lotDeltas.set(m.lot.id, (this.lotDeltas.get(m.lot.id) ?? 0) + m.delta);
      }
    }
    this.lifetimeUsedDelta += draft.usage ?? 0;
    const balanceAfter = this.spendable();
    this.entries.push({ id, draft, delta, balanceAfter });
    return toTransaction(this.workspace.id, id, draft, delta, balanceAfter, this.now);
  }

  /** Changes a lot outside any journal entry: only holds do this (reserve and give back). */
  moveHeld(lot: LotState, delta: number): void {
    if (lot.remaining + delta < 0) throw new Error(`lot ${lot.id} would go negative`);
    lot.remaining += delta;
    this.held -= delta;
    this.lotDeltas.set(lot.id, (this.lotDeltas.get(lot.id) ?? 0) + delta);
  }

  async flush(): Promise<void> {
    if (
      this.entries.length === 0 &&
      this.newLots.length === 0 &&
      this.lotDeltas.size === 0 &&
      this.newKeys.length === 0 &&
      this.lifetimeUsedDelta === 0
    ) {
      return;
    }
    const alerts = evaluateAlerts(this.workspace.alertState, this.thresholds, this.spendable());
    this.alertEvents = alerts.events;
    const payload = {
      lots: this.newLots.map((n) => ({
        id: n.lot.id,
        type: n.lot.type,
        amount: n.amount,
        remaining: n.lot.remaining,
        priority: n.lot.priority,
        granted_at: n.lot.grantedAt.toISOString(),
        expires_at: n.lot.expiresAt?.toISOString() ?? null,
        grant_id: n.grantId,
        source: n.source,
        price_minor: n.priceMinor.toString(),
        currency: n.currency,
      })),
      entries: this.entries.map((e) => ({
        id: e.id,
        kind: e.draft.kind,
        delta: e.delta,
        balance_after: e.balanceAfter,
        operation: e.draft.operation ?? null,
        quantity: e.draft.quantity ?? null,
        actor: e.draft.actor ?? null,
        source: e.draft.source,
        idempotency_key: e.draft.idempotencyKey ?? null,
        reverses_id: e.draft.reversesId ?? null,
        hold_id: e.draft.holdId ?? null,
        reason: e.draft.reason ?? null,
        metadata: e.draft.metadata ?? {},
      })),
      links: this.entries.flatMap((e) =>
        e.draft.movements
          .filter((m) => m.delta !== 0)
          .map((m) => ({ entry_id: e.id, lot_id: m.lot.id, delta: m.delta })),
      ),
      updates: [...this.lotDeltas].filter(([, d]) => d !== 0).map(([id, delta]) => ({ id, delta })),
      keys: this.newKeys,
      lifetimeUsed: this.lifetimeUsedDelta,
      lastEntryId: this.entries.at(-1)?.id ?? null,
      alerts: alerts.events,
      alertState: sameState(alerts.state, this.workspace.alertState) ? undefined : alerts.state,
    };
    const ws = this.workspace.id;
    const now = this.now;
    // Free lots leave the cost-basis columns to their defaults, so this statement also runs on a
    // schema from before migration 022 (the migration tests write old data with today's ledger).
    const priced = this.newLots.some((n) => n.priceMinor !== 0n || n.currency !== null);
    await this.tx`
      WITH p AS (SELECT ${JSON.stringify(payload)}::text::jsonb AS d),
      new_lots AS (
        INSERT INTO lots (id, workspace_id, type, amount, remaining, priority, granted_at, expires_at, grant_id, source
                          ${priced ? this.tx`, price_minor, currency` : this.tx``})
        SELECT x.id, ${ws}, x.type, x.amount, x.remaining, x.priority, x.granted_at, x.expires_at, x.grant_id, x.source
               ${priced ? this.tx`, x.price_minor, x.currency` : this.tx``}
          FROM p, jsonb_to_recordset(p.d->'lots') AS x(id bigint, type text, amount bigint, remaining bigint,
               priority int, granted_at timestamptz, expires_at timestamptz, grant_id bigint, source jsonb,
               price_minor bigint, currency text)),
      entries AS (
        INSERT INTO journal (id, workspace_id, kind, delta, balance_after, operation, quantity, actor, source,
                             idempotency_key, reverses_id, hold_id, reason, metadata, created_at)
        SELECT x.id, ${ws}, x.kind, x.delta, x.balance_after, x.operation, x.quantity, x.actor, x.source,
               x.idempotency_key, x.reverses_id, x.hold_id, x.reason, x.metadata, ${now}
          FROM p, jsonb_to_recordset(p.d->'entries') AS x(id bigint, kind text, delta bigint, balance_after bigint,
               operation text, quantity bigint, actor text, source text, idempotency_key text, reverses_id bigint,
               hold_id bigint, reason text, metadata jsonb)),
      links AS (
        INSERT INTO journal_lots (entry_id, lot_id, delta)
        SELECT x.entry_id, x.lot_id, x.delta
          FROM p, jsonb_to_recordset(p.d->'links') AS x(entry_id bigint, lot_id bigint, delta bigint)),
      lot_updates AS (
        UPDATE lots SET remaining = lots.remaining + x.delta
          FROM p, jsonb_to_recordset(p.d->'updates') AS x(id bigint, delta bigint)
         WHERE lots.id = x.id AND lots.workspace_id = ${ws}),
      keys AS (
        INSERT INTO idempotency_keys (workspace_id, namespace, key, request_hash, response, created_at)
        SELECT ${ws}, ${this.namespace}, x.key, x.hash, x.response, ${now}
          FROM p, jsonb_to_recordset(p.d->'keys') AS x(key text, hash text, response jsonb)),
      alerts AS (
        INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
        SELECT ${ws}, x.type, x.level, x.threshold, x.balance, x.data, ${now}
          FROM p, jsonb_to_recordset(p.d->'alerts') AS x(type text, level text, threshold bigint, balance bigint, data jsonb))
      UPDATE workspaces
         SET lifetime_used = lifetime_used + (p.d->>'lifetimeUsed')::bigint,
             alert_state = coalesce(p.d->'alertState', workspaces.alert_state),
             last_entry_id = coalesce((p.d->>'lastEntryId')::bigint, workspaces.last_entry_id),
             updated_at = ${now}
        FROM p WHERE workspaces.id = ${ws}`;
    if (payload.alertState) this.workspace.alertState = payload.alertState;
  }
}

export function idempotencyConflict(key: string): CreditsError {
  return new CreditsError(
    'idempotency_conflict',
    `idempotency key ${JSON.stringify(key)} was already used with a different request`,
    { idempotencyKey: key },
  );
}

/** Gives the credits of holds past their timeout back to their lots ("a hold that times out releases itself"). */
export async function releaseTimedOutHolds(tx: TxSql, workspaceId: string, now: Date): Promise<number> {
  const rows = await tx`
    WITH timed_out AS (
      UPDATE holds SET status = 'expired', closed_at = ${now}
       WHERE workspace_id = ${workspaceId} AND status = 'active' AND expires_at <= ${now}
      RETURNING id),
    give_back AS (
      SELECT hl.lot_id, sum(hl.amount)::bigint AS amount
        FROM hold_lots hl JOIN timed_out t ON t.id = hl.hold_id GROUP BY hl.lot_id)
    UPDATE lots SET remaining = lots.remaining + g.amount
      FROM give_back g WHERE lots.id = g.lot_id
    RETURNING lots.id`;
  return rows.length;
}
