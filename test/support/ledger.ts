import type { Sql } from '../../ledger/db.js';
import { Ledger, type LedgerOptions } from '../../ledger/ledger.js';
import { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { plainCatalog, planKeys } from './catalog.js';
import { uniqueId } from './db.js';

/** A ledger whose clock the test moves by hand. */
export function testLedger(sql: Sql, start = new Date('2026-11-01T00:00:00Z'), options: LedgerOptions = {}) {
  let now = start.getTime();
  const ledger = new Ledger(sql, plainCatalog, { ...options, clock: () => new Date(now) });
  const directory = new WorkspaceDirectory(sql, planKeys);
  return {
    ledger,
    directory,
    advance(ms: number) {
      now += ms;
    },
    now: () => new Date(now),
    async workspace(plan = 'solo') {
      const id = uniqueId();
      await directory.createWorkspace({ id, name: id, plan, status: 'active', billingAnchor: start });
      return id;
    },
  };
}

export const DAY = 24 * 3600 * 1000;
