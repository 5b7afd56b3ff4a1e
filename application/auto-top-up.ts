import type { Catalog } from '../ledger/catalog/schema.js';
import { CreditsError } from '../ledger/errors.js';
import type { Actor, AuditedChanges } from '../ledger/stores/audited-changes.js';

/**
 * A workspace's auto top-up policy (`settings.autoTopUp`): when the balance falls below `below`,
 * buy `package`; approved automatically while this calendar month's (UTC) automatically approved
 * top-ups plus this one stay within `monthlyBudget` (in the catalog's currency), otherwise the
 * owners and admins are asked like for any purchase.
 */
export interface AutoTopUpPolicy {
  enabled: boolean;
  below: number;
  package: string;
  monthlyBudget: number;
}

/**
 * How far a policy may go: an automatically approved purchase is money leaving without a human,
 * so neither the trigger nor the monthly budget is unbounded (AUTO_TOP_UP_MAX_BELOW,
 * AUTO_TOP_UP_MAX_MONTHLY_BUDGET).
 */
export interface AutoTopUpLimits {
  /** Highest `below` threshold, in credits. */
  maxBelow: number;
  /** Highest `monthlyBudget`, in the catalog's currency. */
  maxMonthlyBudget: number;
}

export const DEFAULT_AUTO_TOP_UP_LIMITS: AutoTopUpLimits = { maxBelow: 1_000_000, maxMonthlyBudget: 10_000 };

/** Validates a policy (API input or stored settings); throws CreditsError naming each bad field. */
export function parseAutoTopUp(
  raw: unknown,
  catalog: Catalog,
  prefix = 'autoTopUp',
  limits: AutoTopUpLimits = DEFAULT_AUTO_TOP_UP_LIMITS,
): AutoTopUpPolicy {
  const issues: { field: string; message: string }[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw CreditsError.field(prefix, 'must be an object { enabled, below, package, monthlyBudget }');
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!['enabled', 'below', 'package', 'monthlyBudget'].includes(k))
      issues.push({ field: `${prefix}.${k}`, message: 'unknown field' });
  }
  if (typeof r.enabled !== 'boolean')
    issues.push({ field: `${prefix}.enabled`, message: 'must be true or false' });
  if (
    typeof r.below !== 'number' ||
    !Number.isSafeInteger(r.below) ||
    r.below < 1 ||
    r.below > limits.maxBelow
  ) {
    issues.push({
      field: `${prefix}.below`,
      message: `must be a whole number of credits from 1 to ${limits.maxBelow.toLocaleString('en-US')}`,
    });
  }
  if (typeof r.package !== 'string' || !catalog.packages.some((p) => p.key === r.package)) {
    issues.push({
      field: `${prefix}.package`,
      message: `must be one of the catalog's packages: ${catalog.packages.map((p) => p.key).join(', ') || 'none'}`,
    });
  }
  if (
    typeof r.monthlyBudget !== 'number' ||
    !Number.isFinite(r.monthlyBudget) ||
    r.monthlyBudget < 0 ||
    r.monthlyBudget > limits.maxMonthlyBudget
  ) {
    issues.push({
      field: `${prefix}.monthlyBudget`,
      message: `must be an amount of money (${catalog.currency}) from 0 to ${limits.maxMonthlyBudget.toLocaleString('en-US')}`,
    });
  }
  if (issues.length > 0) throw CreditsError.invalid(issues);
  return {
    enabled: r.enabled as boolean,
    below: r.below as number,
    package: r.package as string,
    monthlyBudget: r.monthlyBudget as number,
  };
}

/** The stored policy, or null when absent or no longer valid (e.g. the package left the catalog). */
export function policyOf(settings: Record<string, unknown>, catalog: Catalog): AutoTopUpPolicy | null {
  if (settings.autoTopUp === undefined) return null;
  try {
    return parseAutoTopUp(settings.autoTopUp, catalog);
  } catch {
    return null;
  }
}

export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Sets a workspace's policy under the limits, audited as `by` in the same transaction. */
export async function saveAutoTopUp(
  deps: { changes: AuditedChanges; catalog: Catalog; limits?: AutoTopUpLimits },
  workspaceId: string,
  raw: unknown,
  by: Actor,
): Promise<AutoTopUpPolicy> {
  const workspace = await deps.changes.changeSetting(
    workspaceId,
    'autoTopUp',
    () => parseAutoTopUp(raw, deps.catalog, 'autoTopUp', deps.limits),
    by,
    'auto_top_up.changed',
  );
  return policyOf(workspace.settings, deps.catalog)!;
}
