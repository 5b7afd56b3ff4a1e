import type { Catalog } from '../ledger/catalog/schema.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Reports } from '../ledger/reports.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';

export const DAY_MS = 24 * 3600 * 1000;

/** Timing of the lifecycle; tests shorten all of it. */
export interface LifecycleTiming {
  /** Fixed billing period instead of calendar months; must equal the ledger's `cyclePeriodMs`. */
  periodMs?: number;
  /** How long before a subscription lot expires the reminder goes out (default 3 days; 0 = no reminders). */
  reminderBeforeMs: number;
  /** Subscription workflows continue as new after this many cycles (default 12). */
  cyclesPerRun: number;
}

/** What activities need from the application: the in-process ledger and directory, and the catalog. */
export interface ActivityDeps {
  ledger: Ledger;
  reports: Reports;
  directory: WorkspaceDirectory;
  catalog: Catalog;
  timing: LifecycleTiming;
}

/** The lifecycle's timing: calendar months, or fixed `periodSeconds` cycles (demos, tests), with reminders ahead of expiry. */
export function lifecycleTiming(periodSeconds?: number): LifecycleTiming {
  const periodMs = periodSeconds !== undefined ? Math.round(periodSeconds * 1000) : undefined;
  return {
    periodMs,
    reminderBeforeMs: periodMs !== undefined ? Math.round(periodMs / 10) : 3 * DAY_MS,
    cyclesPerRun: 12,
  };
}
