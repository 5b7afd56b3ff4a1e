import { normalizeName } from './catalog/load.js';
import { type Catalog, MAX_AMOUNT, type Operation, type Tier, type TierLevel } from './catalog/schema.js';
import { CreditsError, type FieldIssue } from './errors.js';

export interface PriceRequest {
  /** Operation key, or its name or one of its aliases. */
  operation: string;
  /** How many times; defaults to 1. */
  quantity?: number;
  params?: Record<string, unknown>;
}

export type ParamValue = string | number;

/** The cost of one request as a range; exact when min = expected = max. */
export interface Quote {
  operation: string;
  name: string;
  family: string;
  quantity: number;
  /** Canonical parameters: tier and level keys, integer multipliers. */
  params: Record<string, ParamValue>;
  unit: string;
  unitMin: number;
  unitExpected: number;
  unitMax: number;
  min: number;
  expected: number;
  max: number;
  exact: boolean;
  tier?: { key: string; name: string; cost: number; level: TierLevel };
  level?: string;
  description: string;
}

export interface PricedOperation extends Quote {
  /** Exact integer to debit. */
  amount: number;
  /** Credits per quantity. */
  unitCost: number;
}

/** Prices a debit that names an operation: the result is exact or a CreditsError names the field to fix. */
export function priceOperation(catalog: Catalog, request: PriceRequest): PricedOperation {
  const result = quoteOrIssues(catalog, request, { exact: true });
  if ('issues' in result) throw CreditsError.invalid(result.issues);
  const quote = result.quote;
  return { ...quote, amount: quote.expected, unitCost: quote.unitExpected };
}

/** Prices a request for an estimate: unspecified levels or tiers give a min..max range. */
export function quoteOperation(catalog: Catalog, request: PriceRequest): Quote {
  const result = quoteOrIssues(catalog, request, { exact: false });
  if ('issues' in result) throw CreditsError.invalid(result.issues);
  return result.quote;
}

export type QuoteResult = { quote: Quote } | { issues: FieldIssue[] };

/** Like quoteOperation, but returns every problem (fields prefixed with `prefix`) instead of throwing. */
export function quoteOrIssues(
  catalog: Catalog,
  request: PriceRequest,
  options: { exact: boolean; prefix?: string },
): QuoteResult {
  const prefix = options.prefix ?? '';
  const issues: FieldIssue[] = [];
  const fail = (field: string, message: string) => {
    issues.push({ field: `${prefix}${field}`, message });
  };

  const requested: unknown = (request as { operation?: unknown } | null)?.operation;
  if (typeof requested !== 'string' || requested.trim() === '') {
    fail('operation', `is required: name one of ${someKeys(catalog)}`);
    return { issues };
  }
  const op = findOperation(catalog, requested);
  if (!op) {
    fail('operation', `unknown operation "${requested}"; try ${suggestKeys(catalog, requested)}`);
    return { issues };
  }

  const quantity = request.quantity ?? 1;
  if (!isPositiveInteger(quantity)) {
    fail('quantity', `must be a positive whole number, got ${JSON.stringify(quantity)}`);
  }

  const given = request.params ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    fail('params', 'must be an object such as {"model": "flux-2-pro"}');
    return { issues };
  }
  const accepted = acceptedParams(op);
  for (const name of Object.keys(given)) {
    if (!accepted.includes(name)) {
      const hint = accepted.length ? `accepts ${accepted.join(', ')}` : 'takes no parameters';
      fail(`params.${name}`, `unknown parameter for ${op.key}; it ${hint}`);
    }
  }

  const unitPrice = priceOneUnit(op, given, options.exact, fail);
  if (issues.length > 0 || !unitPrice) return { issues };

  const q = quantity as number;
  const max = unitPrice.max * q;
  if (max > MAX_AMOUNT) {
    fail(
      'quantity',
      `${q} × ${unitPrice.max} credits would be ${max.toLocaleString('en-US')} credits, above the limit of ${MAX_AMOUNT.toLocaleString('en-US')}`,
    );
    return { issues };
  }
  const quote: Quote = {
    operation: op.key,
    name: unitPrice.tier ? `${op.name} (${unitPrice.tier.name})` : op.name,
    family: op.family,
    quantity: q,
    params: unitPrice.params,
    unit: unitOf(op),
    unitMin: unitPrice.min,
    unitExpected: unitPrice.expected,
    unitMax: unitPrice.max,
    min: unitPrice.min * q,
    expected: unitPrice.expected * q,
    max,
    exact: unitPrice.min === unitPrice.max,
    ...(unitPrice.tier ? { tier: unitPrice.tier } : {}),
    ...(unitPrice.level ? { level: unitPrice.level } : {}),
    description: '',
  };
  quote.description = describeQuote(quote, unitPrice.factor);
  return { quote };
}

interface UnitPrice {
  min: number;
  expected: number;
  max: number;
  params: Record<string, ParamValue>;
  tier?: { key: string; name: string; cost: number; level: TierLevel };
  level?: string;
  /** Set when a parameter multiplies the per-unit cost (seconds, platforms). */
  factor?: number;
}

function priceOneUnit(
  op: Operation,
  given: Record<string, unknown>,
  exact: boolean,
  fail: (field: string, message: string) => void,
): UnitPrice | undefined {
  const rule = op.rule;
  switch (rule.type) {
    case 'free':
      return { min: 0, expected: 0, max: 0, params: {} };
    case 'fixed':
      return { min: rule.cost, expected: rule.cost, max: rule.cost, params: {} };
    case 'per_unit': {
      if (!rule.param) return { min: rule.cost, expected: rule.cost, max: rule.cost, params: {} };
      const factor = multiplier(rule.param, given[rule.param], fail);
      if (factor === undefined) return undefined;
      const cost = rule.cost * factor;
      return { min: cost, expected: cost, max: cost, params: { [rule.param]: factor }, factor };
    }
    case 'tier': {
      const value = given[rule.param] ?? rule.default;
      const valid = () => tierList(rule.tiers);
      if (value === undefined) {
        if (exact) {
          fail(`params.${rule.param}`, `is required for ${op.key}: choose one of ${valid()}`);
          return undefined;
        }
        const costs = Object.values(rule.tiers)
          .map((t) => t.cost)
          .sort((a, b) => a - b);
        const median = costs[Math.floor((costs.length - 1) / 2)] ?? 0;
        return { min: costs[0] ?? 0, expected: median, max: costs[costs.length - 1] ?? 0, params: {} };
      }
      const found = typeof value === 'string' ? findTier(rule.tiers, value) : undefined;
      if (!found) {
        fail(
          `params.${rule.param}`,
          `unknown ${rule.param} ${JSON.stringify(value)} for ${op.key}; valid: ${valid()}`,
        );
        return undefined;
      }
      const [key, tier] = found;
      return {
        min: tier.cost,
        expected: tier.cost,
        max: tier.cost,
        params: { [rule.param]: key },
        tier: { key, name: tier.name, cost: tier.cost, level: tier.level },
      };
    }
    case 'range': {
      const factor = rule.param ? multiplier(rule.param, given[rule.param], fail) : 1;
      const requested = given.complexity ?? rule.default;
      const levels = Object.entries(rule.levels);
      const levelNames = levels.map(([name, cost]) => `${name} (${cost})`).join(', ');
      let level: [string, number] | undefined;
      if (requested !== undefined) {
        level = levels.find(
          ([name]) => typeof requested === 'string' && name === requested.trim().toLowerCase(),
        );
        if (!level) {
          fail(
            'params.complexity',
            `unknown level ${JSON.stringify(requested)} for ${op.key}; valid: ${levelNames}`,
          );
          return undefined;
        }
      } else if (exact && rule.min !== rule.max) {
        fail(
          'params.complexity',
          `is required to price ${op.key} exactly (${rule.min}–${rule.max}): one of ${levelNames}`,
        );
        return undefined;
      }
      if (factor === undefined) return undefined;
      const params: Record<string, ParamValue> = rule.param ? { [rule.param]: factor } : {};
      const scaled = rule.param ? { factor } : {};
      if (level) {
        const cost = level[1] * factor;
        const exactParams = { ...params, complexity: level[0] };
        return { min: cost, expected: cost, max: cost, params: exactParams, level: level[0], ...scaled };
      }
      const expected = rule.expected * factor;
      return { min: rule.min * factor, expected, max: rule.max * factor, params, ...scaled };
    }
  }
}

function multiplier(param: string, value: unknown, fail: (field: string, message: string) => void) {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (value === undefined) {
    fail(`params.${param}`, 'is required (a positive whole number)');
    return undefined;
  }
  if (!isPositiveInteger(n)) {
    fail(`params.${param}`, `must be a positive whole number, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (n > MAX_AMOUNT) {
    fail(`params.${param}`, `must not exceed ${MAX_AMOUNT.toLocaleString('en-US')}`);
    return undefined;
  }
  return n;
}

/** The parameters an operation understands. */
export function acceptedParams(op: Operation): string[] {
  const rule = op.rule;
  switch (rule.type) {
    case 'tier':
      return [rule.param];
    case 'per_unit':
      return rule.param ? [rule.param] : [];
    case 'range':
      return rule.param ? [rule.param, 'complexity'] : ['complexity'];
    default:
      return [];
  }
}

export function unitOf(op: Operation): string {
  return op.rule.unit ?? 'use';
}

/** Finds an operation by key, name or alias, ignoring case, spaces and punctuation (and a plural "s"). */
export function findOperation(catalog: Catalog, name: string): Operation | undefined {
  const exact = catalog.operations.find((op) => op.key === name);
  if (exact) return exact;
  const index = nameIndex(catalog).operations;
  const norm = normalizeName(name);
  return index.get(norm) ?? (norm.endsWith('s') ? index.get(norm.slice(0, -1)) : undefined);
}

/**
 * Resolves a name people type ("veo 3.1", "flux pro", "articles") to an operation and, for a
 * model name, the tier parameter. Operation names win over model names.
 */
export function resolveName(
  catalog: Catalog,
  phrase: string,
): { operation: string; params: Record<string, string> } | undefined {
  const op = findOperation(catalog, phrase);
  if (op) return { operation: op.key, params: {} };
  const index = nameIndex(catalog).tiers;
  const norm = normalizeName(phrase);
  const hit = index.get(norm) ?? (norm.endsWith('s') ? index.get(norm.slice(0, -1)) : undefined);
  return hit ? { operation: hit.operation, params: { [hit.param]: hit.tier } } : undefined;
}

interface NameIndex {
  operations: Map<string, Operation>;
  tiers: Map<string, { operation: string; param: string; tier: string }>;
}

const indexCache = new WeakMap<Catalog, NameIndex>();

function nameIndex(catalog: Catalog): NameIndex {
  const cached = indexCache.get(catalog);
  if (cached) return cached;
  const index: NameIndex = { operations: new Map(), tiers: new Map() };
  for (const op of catalog.operations) {
    for (const name of [op.key, op.name, ...op.aliases]) {
      const norm = normalizeName(name);
      if (norm && !index.operations.has(norm)) index.operations.set(norm, op);
    }
    if (op.rule.type !== 'tier') continue;
    for (const [key, tier] of Object.entries(op.rule.tiers)) {
      for (const name of [key, tier.name, ...tier.aliases]) {
        const norm = normalizeName(name);
        if (norm && !index.tiers.has(norm)) {
          index.tiers.set(norm, { operation: op.key, param: op.rule.param, tier: key });
        }
      }
    }
  }
  indexCache.set(catalog, index);
  return index;
}

function findTier(tiers: Record<string, Tier>, value: string): [string, Tier] | undefined {
  const direct = tiers[value];
  if (direct) return [value, direct];
  const norm = normalizeName(value);
  return Object.entries(tiers).find(([key, tier]) =>
    [key, tier.name, ...tier.aliases].some((name) => normalizeName(name) === norm),
  );
}

function tierList(tiers: Record<string, Tier>): string {
  return Object.entries(tiers)
    .map(([key, tier]) => `${key} (${tier.cost})`)
    .join(', ');
}

function someKeys(catalog: Catalog): string {
  return `${catalog.operations
    .slice(0, 6)
    .map((op) => op.key)
    .join(', ')}, …`;
}

/** The closest few operation keys, so a typo like "imgae" gets "image" first. */
function suggestKeys(catalog: Catalog, requested: string): string {
  const target = normalizeName(requested);
  const ranked = catalog.operations
    .map((op) => ({
      key: op.key,
      distance: Math.min(
        ...[op.key, op.name, ...op.aliases].map((n) => editDistance(normalizeName(n), target)),
      ),
    }))
    .sort((a, b) => a.distance - b.distance);
  const shown = ranked.slice(0, 5).map((r) => r.key);
  const rest = catalog.operations.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` (or one of ${rest} more)` : ''}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

export function formatCredits(n: number): string {
  return n.toLocaleString('en-US');
}

function span(min: number, max: number): string {
  return min === max ? formatCredits(min) : `${formatCredits(min)}–${formatCredits(max)}`;
}

function describeQuote(q: Quote, factor: number | undefined): string {
  const per =
    q.unitMax === 0
      ? 'free'
      : factor === undefined
        ? `${span(q.unitMin, q.unitMax)} credits per ${q.unit}`
        : `${factor} ${q.unit}(s) × ${span(q.unitMin / factor, q.unitMax / factor)} credits`;
  const what = q.level ? `${q.name}, ${q.level}` : q.name;
  const total = q.max === 0 ? 'free' : `${span(q.min, q.max)} credits`;
  const expected = q.exact ? '' : ` (expected ${formatCredits(q.expected)})`;
  return `${q.quantity} × ${what} at ${per} = ${total}${expected}`;
}
