import type { WritePaths } from '../../ledger/commands/write-paths.js';
import type { Sql } from '../../ledger/db.js';
import type { LedgerOptions } from '../../ledger/ledger.js';
import { testLedger } from '../support/ledger.js';
import { referenceDebits } from './debit-reference.js';
import { referenceHoldOps } from './hold-reference.js';

/**
 * The differential property tests' entry point: two ledgers on one database and one start time,
 * one writing through the SQL functions, the other through the TypeScript reference rules.
 * Move their clocks together (`advance` on both).
 */
export function sqlAndReference(sql: Sql, options: LedgerOptions = {}, start?: Date) {
  const reference: WritePaths = { debits: referenceDebits, holdOps: referenceHoldOps };
  return {
    sqlSide: testLedger(sql, start, options),
    refSide: testLedger(sql, start, { ...options, writePaths: reference }),
  };
}
