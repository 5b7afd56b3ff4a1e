import { fileURLToPath } from 'node:url';
import type { Catalog, CostRule, Operation, Plan, TierLevel } from './schema.js';

export {
  CatalogError,
  type CatalogProblem,
  formatPath,
  loadCatalog,
  normalizeName,
  parseCatalog,
} from './load.js';
export * from './schema.js';

/** Absolute path of the catalog shipped with the project (`catalogs/default.yaml`). */
export function defaultCatalogPath(): string {
  return fileURLToPath(new URL('../../catalogs/default.yaml', import.meta.url));
}

export interface PlanSummary {
  key: string;
  name: string;
  kind: Plan['kind'];
  paid: boolean;
  /** Credits granted each monthly cycle (also with yearly billing); null for a one-time trial. */
  monthlyCredits: number | null;
  /** Credits granted once (trial); null for subscriptions. */
  oneTimeCredits: number | null;
  creditType: Plan['creditType'];
  expires: Plan['expires'];
  billing: Plan['billing'];
  prices: Plan['prices'];
  currency: string;
  rollover: Plan['rollover'];
  planChange: Plan['planChange'];
}

export interface PackageSummary {
  key: string;
  name: string;
  credits: number;
  price: number;
  currency: string;
  validityDays: number | null;
}

export interface TierSummary {
  key: string;
  name: string;
  cost: number;
  level: TierLevel;
  aliases: string[];
}

export interface OperationSummary {
  key: string;
  name: string;
  family: string;
  aliases: string[];
  type: CostRule['type'];
  unit: string;
  description: string;
  min: number;
  expected: number;
  max: number;
  /** The parameter that multiplies the cost (per_unit, range) or picks the tier (tier). */
  param?: string;
  cost?: number;
  tiers?: TierSummary[];
  defaultTier?: string;
  levels?: Record<string, number>;
  defaultLevel?: string;
  alternatives: string[];
}

export interface CatalogSummary {
  name: string;
  currency: string;
  plans: PlanSummary[];
  packages: PackageSummary[];
  operations: OperationSummary[];
  campaign: { operation: string } | null;
}

/** The public shape of `GET /v1/catalog`. */
export function catalogSummary(catalog: Catalog): CatalogSummary {
  return {
    name: catalog.name,
    currency: catalog.currency,
    plans: catalog.plans.map((plan) => planSummary(plan, catalog.currency)),
    packages: catalog.packages.map((p) => ({
      key: p.key,
      name: p.name,
      credits: p.credits,
      price: p.price,
      currency: catalog.currency,
      validityDays: p.validityDays,
    })),
    operations: catalog.operations.map(operationSummary),
    campaign: catalog.campaign ? { operation: catalog.campaign.operation } : null,
  };
}

function planSummary(plan: Plan, currency: string): PlanSummary {
  const trial = plan.kind === 'trial';
  return {
    key: plan.key,
    name: plan.name,
    kind: plan.kind,
    paid: plan.paid,
    monthlyCredits: trial ? null : plan.credits,
    oneTimeCredits: trial ? plan.credits : null,
    creditType: plan.creditType,
    expires: plan.expires,
    billing: plan.billing,
    prices: plan.prices,
    currency,
    rollover: plan.rollover,
    planChange: plan.planChange,
  };
}

function operationSummary(op: Operation): OperationSummary {
  const base = {
    key: op.key,
    name: op.name,
    family: op.family,
    aliases: op.aliases,
    alternatives: op.alternatives,
  };
  const rule = op.rule;
  const unit = rule.unit ?? 'use';
  const fixed = (cost: number) => ({ min: cost, expected: cost, max: cost, cost });
  switch (rule.type) {
    case 'free':
      return { ...base, type: 'free', unit, description: op.description ?? 'Free', ...fixed(0) };
    case 'fixed':
      return {
        ...base,
        type: 'fixed',
        unit,
        description: op.description ?? `${credits(rule.cost)} per ${unit}`,
        ...fixed(rule.cost),
      };
    case 'per_unit':
      return {
        ...base,
        type: 'per_unit',
        unit,
        description:
          op.description ?? `${credits(rule.cost)} per ${unit}${rule.param ? ` (params.${rule.param})` : ''}`,
        ...fixed(rule.cost),
        ...(rule.param ? { param: rule.param } : {}),
      };
    case 'tier': {
      const tiers = Object.entries(rule.tiers)
        .map(([key, t]) => ({ key, name: t.name, cost: t.cost, level: t.level, aliases: t.aliases }))
        .sort((a, b) => a.cost - b.cost);
      const costs = tiers.map((t) => t.cost);
      const median = costs[Math.floor((costs.length - 1) / 2)] ?? 0;
      const min = costs[0] ?? 0;
      const max = costs[costs.length - 1] ?? 0;
      const list = tiers.map((t) => `${t.name} ${t.cost.toLocaleString('en-US')}`).join(', ');
      return {
        ...base,
        type: 'tier',
        unit,
        description: op.description ?? `${span(min, max)} credits per ${unit} by ${rule.param}: ${list}`,
        min,
        expected: median,
        max,
        param: rule.param,
        tiers,
        ...(rule.default ? { defaultTier: rule.default } : {}),
      };
    }
    case 'range': {
      const levels = Object.entries(rule.levels)
        .map(([name, cost]) => `${name} ${cost}`)
        .join(', ');
      const per = rule.param ? `${unit} (params.${rule.param})` : unit;
      return {
        ...base,
        type: 'range',
        unit,
        description:
          op.description ?? `${span(rule.min, rule.max)} credits per ${per} by complexity: ${levels}`,
        min: rule.min,
        expected: rule.expected,
        max: rule.max,
        levels: rule.levels,
        ...(rule.param ? { param: rule.param } : {}),
        ...(rule.default ? { defaultLevel: rule.default } : {}),
      };
    }
  }
}

function credits(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'credit' : 'credits'}`;
}

function span(min: number, max: number): string {
  return min === max
    ? min.toLocaleString('en-US')
    : `${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}`;
}
