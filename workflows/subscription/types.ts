import type { SubscriptionStatus } from '../../ledger/types.js';

export interface SubscriptionSnapshot {
  exists: boolean;
  status: SubscriptionStatus;
  plan: string;
  kind: 'trial' | 'subscription';
  credits: number;
  planChange: 'next_cycle' | 'immediate';
  /** The worker's setting: continue as new after this many cycles. */
  cyclesPerRun: number;
}

/** One billing cycle as the workflow tracks it (dates as ISO strings: workflow inputs are JSON). */
export interface CycleInfo {
  index: number;
  start: string;
  end: string;
  /** The plan whose allocation the cycle got (the latest one after an immediate change). */
  plan: string;
  /** Credits granted for this cycle so far (allocation plus immediate upgrades). */
  granted: number;
  /** The subscription lots of this cycle. */
  lotIds: string[];
  /** When the expiry reminder is due; null when the cycle is too short or nothing was granted. */
  reminderAt: string | null;
}

export interface SubscriptionInput {
  workspaceId: string;
  /** The next cycle to begin (continue-as-new carries it); absent = the cycle containing now. */
  nextIndex?: number;
  /** Overrides the worker's cycles-per-run (tests). */
  cyclesPerRun?: number;
  /** The cycle the previous run already granted at its last boundary (continue-as-new carries it). */
  cycle?: CycleInfo;
}

export interface SubscriptionState {
  workspaceId: string;
  phase: 'starting' | 'trial' | 'in_cycle' | 'paused' | 'ended';
  status: SubscriptionStatus | null;
  plan: string | null;
  cycle: CycleInfo | null;
  cyclesThisRun: number;
}

export interface WorkspaceChange {
  plan?: string;
  status?: SubscriptionStatus;
}
