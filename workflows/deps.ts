import type { Catalog } from '../ledger/catalog/schema.js';
import type { Sql } from '../ledger/db.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Directory } from '../ledger/workspaces.js';

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
  sql: Sql;
  ledger: Ledger;
  directory: Directory;
  catalog: Catalog;
  timing: LifecycleTiming;
}

export function defaultTiming(env: NodeJS.ProcessEnv = process.env): LifecycleTiming {
  const seconds = env.SUBSCRIPTION_PERIOD_SECONDS?.trim();
  let periodMs: number | undefined;
  if (seconds) {
    const n = Number(seconds);
    if (!Number.isFinite(n) || n <= 0) {
      throw new Error(
        `SUBSCRIPTION_PERIOD_SECONDS: must be a positive number of seconds, got ${JSON.stringify(seconds)}`,
      );
    }
    periodMs = Math.round(n * 1000);
  }
  return {
    periodMs,
    reminderBeforeMs: periodMs !== undefined ? Math.round(periodMs / 10) : 3 * DAY_MS,
    cyclesPerRun: 12,
  };
}
