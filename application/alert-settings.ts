import { type Thresholds, thresholdsFor } from '../ledger/alerts.js';
import { CreditsError, type FieldIssue } from '../ledger/errors.js';
import type { Actor, AuditedChanges } from '../ledger/stores/audited-changes.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';

/** The highest threshold anyone may set: far above any real balance, far below bigint trouble. */
export const MAX_ALERT_THRESHOLD = 1_000_000_000;

/**
 * The one rule for alert thresholds, whoever sets them (API, chat): whole numbers from 0 to
 * 1,000,000,000, `low` above `critical` (`depleted` at 0 is implicit). A partial change keeps the
 * other threshold as it is. Throws CreditsError `invalid_request` naming each failing field.
 */
export function nextThresholds(current: Thresholds, change: Partial<Thresholds>): Thresholds {
  const next: Thresholds = { ...current, ...change };
  const issues: FieldIssue[] = [];
  for (const level of ['low', 'critical'] as const) {
    const value = next[level];
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_ALERT_THRESHOLD) {
      issues.push({
        field: `thresholds.${level}`,
        message: `must be a whole number of credits from 0 to ${MAX_ALERT_THRESHOLD.toLocaleString('en-US')}`,
      });
    }
  }
  if (issues.length === 0 && next.low <= next.critical) {
    issues.push({
      field: 'thresholds.low',
      message: `must be above the critical one (low ${next.low}, critical ${next.critical})`,
    });
  }
  if (issues.length > 0) throw CreditsError.invalid(issues);
  return next;
}

/** Reads and changes a workspace's alert thresholds, stored as `settings.alerts.thresholds`. */
export class AlertSettings {
  constructor(
    private readonly deps: { directory: WorkspaceDirectory; changes: AuditedChanges; defaults: Thresholds },
  ) {}

  async get(workspaceId: string): Promise<Thresholds> {
    const ws = await this.deps.directory.workspace(workspaceId);
    return thresholdsFor(ws.settings, this.deps.defaults);
  }

  /**
   * Applies `change` under the one rule, audited as `by` in the same transaction; other keys of
   * `settings.alerts` are kept, and two concurrent changes never lose one another.
   */
  async set(workspaceId: string, change: Partial<Thresholds>, by: Actor): Promise<Thresholds> {
    const updated = await this.deps.changes.changeSetting(
      workspaceId,
      'alerts',
      (current) => {
        const alerts = (current as Record<string, unknown> | null) ?? {};
        const next = nextThresholds(thresholdsFor({ alerts }, this.deps.defaults), change);
        return { ...alerts, thresholds: next };
      },
      by,
      'alerts.changed',
    );
    return thresholdsFor(updated.settings, this.deps.defaults);
  }
}
