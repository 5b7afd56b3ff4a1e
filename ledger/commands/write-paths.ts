import type { Settled } from '../batcher.js';
import type { CommandContext } from './context.js';
import { runDebitBatch } from './debit.js';
import { runHoldBatch } from './holds.js';
import type { CaptureResult, HoldResult, QueuedDebit, QueuedHoldOp, WriteResult } from './types.js';

/**
 * How one batch of debits, or of holds, captures and releases, of any workspaces reaches the
 * database. The ledger's are the SQL functions; the differential property tests run a second
 * ledger on the TypeScript reference rules (test/ledger/*-reference.ts) and compare the two.
 */
export interface WritePaths {
  debits(ctx: CommandContext, items: QueuedDebit[]): Promise<Settled<WriteResult>[]>;
  holdOps(ctx: CommandContext, items: QueuedHoldOp[]): Promise<Settled<HoldResult | CaptureResult>[]>;
}

/** credits_debit_multi and credits_hold_multi (ledger/sql/functions). */
export const SQL_WRITE_PATHS: WritePaths = { debits: runDebitBatch, holdOps: runHoldBatch };
