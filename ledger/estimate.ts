import { type Catalog, MAX_AMOUNT } from './catalog/schema.js';
import { CreditsError, type FieldIssue } from './errors.js';
import {
  findOperation,
  formatCredits,
  type ParamValue,
  type PriceRequest,
  type Quote,
  quoteOrIssues,
} from './pricing.js';

export const MAX_ESTIMATE_ITEMS = 100;

export interface CampaignRequest {
  /** A count, or the platform names (their number counts). */
  platforms: number | string[];
  weeks: number;
  postsPerWeek: number;
  /** A level of the campaign operation (simple, standard, complex); without it the estimate spans min..max. */
  complexity?: string;
}

export type EstimateRequest = { items: PriceRequest[] } | { campaign: CampaignRequest };

export interface BreakdownLine {
  operation: string;
  name: string;
  quantity: number;
  params: Record<string, ParamValue>;
  unit: string;
  unitMin: number;
  unitExpected: number;
  unitMax: number;
  min: number;
  expected: number;
  max: number;
  exact: boolean;
  description: string;
}

export interface Alternative {
  /** Index of the breakdown line this replaces. */
  item: number;
  forOperation: string;
  forName: string;
  /** Tier key (same operation) or operation key to use instead. */
  instead: string;
  insteadName: string;
  /** The request to make instead: operation and params. */
  operation: string;
  params: Record<string, ParamValue>;
  quantity: number;
  unitCost: number;
  currentUnitCost: number;
  cost: number;
  currentCost: number;
  /** Always > 0: only strictly cheaper alternatives are offered. Compared at expected cost. */
  savings: number;
  suggestion: string;
}

export interface CampaignSummary {
  operation: string;
  platforms: number;
  weeks: number;
  postsPerWeek: number;
  posts: number;
  complexity?: string;
}

export interface Estimate {
  min: number;
  expected: number;
  max: number;
  breakdown: BreakdownLine[];
  /** The balance covers the worst case (max). */
  affordable: boolean;
  affordableAtExpected: boolean;
  balance: number;
  /** Credits missing to cover the worst case: max(0, max - balance). */
  shortfall: number;
  alternatives: Alternative[];
  campaign?: CampaignSummary;
}

/** Estimates a list of items or a campaign against a balance; a CreditsError names every bad field. */
export function estimate(catalog: Catalog, request: EstimateRequest, balance: number): Estimate {
  if (typeof balance !== 'number' || !Number.isFinite(balance)) {
    throw CreditsError.field('balance', 'must be a number of credits');
  }
  const body = request as Partial<{ items: unknown; campaign: unknown }> | null;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw CreditsError.field('items', 'give either "items" or "campaign"');
  }
  if (body.items !== undefined && body.campaign !== undefined) {
    throw CreditsError.field('campaign', 'give either "items" or "campaign", not both');
  }
  const { quotes, campaign } =
    body.campaign !== undefined
      ? campaignQuotes(catalog, body.campaign)
      : { quotes: itemQuotes(catalog, body.items), campaign: undefined };

  const min = sum(quotes.map((q) => q.min));
  const expected = sum(quotes.map((q) => q.expected));
  const max = sum(quotes.map((q) => q.max));
  if (max > MAX_AMOUNT) {
    throw CreditsError.field(
      campaign ? 'campaign' : 'items',
      `together these could cost ${formatCredits(max)} credits, above the limit of ${formatCredits(MAX_AMOUNT)}`,
    );
  }
  return {
    min,
    expected,
    max,
    breakdown: quotes.map(toLine),
    affordable: balance >= max,
    affordableAtExpected: balance >= expected,
    balance,
    shortfall: Math.max(0, max - balance),
    alternatives: quotes.flatMap((q, i) => alternativesFor(catalog, q, i)),
    ...(campaign ? { campaign } : {}),
  };
}

function itemQuotes(catalog: Catalog, items: unknown): Quote[] {
  if (!Array.isArray(items)) {
    throw CreditsError.field('items', 'must be a list such as [{"operation": "image", "quantity": 5}]');
  }
  if (items.length === 0) throw CreditsError.field('items', 'must list at least one item');
  if (items.length > MAX_ESTIMATE_ITEMS) {
    throw CreditsError.field('items', `must list at most ${MAX_ESTIMATE_ITEMS} items, got ${items.length}`);
  }
  const issues: FieldIssue[] = [];
  const quotes: Quote[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      issues.push({ field: `items.${i}`, message: 'must be an object with "operation"' });
      return;
    }
    const result = quoteOrIssues(catalog, item as PriceRequest, { exact: false, prefix: `items.${i}.` });
    if ('issues' in result) issues.push(...result.issues);
    else quotes.push(result.quote);
  });
  if (issues.length > 0) throw CreditsError.invalid(issues);
  return quotes;
}

function campaignQuotes(catalog: Catalog, raw: unknown): { quotes: Quote[]; campaign: CampaignSummary } {
  const config = catalog.campaign;
  const op = config ? findOperation(catalog, config.operation) : undefined;
  if (!op)
    throw CreditsError.field('campaign', 'this catalog has no campaign pricing; estimate "items" instead');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw CreditsError.field('campaign', 'must be an object with platforms, weeks and postsPerWeek');
  }
  const input = raw as Partial<Record<keyof CampaignRequest, unknown>>;
  const issues: FieldIssue[] = [];
  const count = (field: keyof CampaignRequest, value: unknown): number => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
    issues.push({
      field: `campaign.${field}`,
      message: `must be a positive whole number, got ${JSON.stringify(value)}`,
    });
    return 0;
  };
  const platforms = Array.isArray(input.platforms)
    ? platformCount(input.platforms, issues)
    : count('platforms', input.platforms);
  const weeks = count('weeks', input.weeks);
  const postsPerWeek = count('postsPerWeek', input.postsPerWeek);

  let complexity: string | undefined;
  if (input.complexity !== undefined) {
    const levels = op.rule.type === 'range' ? Object.keys(op.rule.levels) : [];
    const wanted = typeof input.complexity === 'string' ? input.complexity.trim().toLowerCase() : undefined;
    if (wanted !== undefined && levels.includes(wanted)) complexity = wanted;
    else if (levels.length === 0) {
      issues.push({
        field: 'campaign.complexity',
        message: `${op.key} has one fixed cost per post; omit complexity`,
      });
    } else {
      issues.push({
        field: 'campaign.complexity',
        message: `unknown complexity ${JSON.stringify(input.complexity)}; valid: ${levels.join(', ')}`,
      });
    }
  }
  if (issues.length > 0) throw CreditsError.invalid(issues);

  const posts = platforms * weeks * postsPerWeek;
  if (posts > MAX_AMOUNT)
    throw CreditsError.field('campaign', `${formatCredits(posts)} posts is more than we can price`);
  const request: PriceRequest = {
    operation: op.key,
    quantity: posts,
    ...(complexity ? { params: { complexity } } : {}),
  };
  const result = quoteOrIssues(catalog, request, { exact: false });
  if ('issues' in result) {
    throw CreditsError.invalid(result.issues.map((i) => ({ field: 'campaign', message: i.message })));
  }
  const campaign: CampaignSummary = {
    operation: op.key,
    platforms,
    weeks,
    postsPerWeek,
    posts,
    ...(complexity ? { complexity } : {}),
  };
  return { quotes: [result.quote], campaign };
}

function platformCount(platforms: unknown[], issues: FieldIssue[]): number {
  const names = new Set<string>();
  platforms.forEach((p, i) => {
    if (typeof p === 'string' && p.trim()) names.add(p.trim().toLowerCase());
    else issues.push({ field: `campaign.platforms.${i}`, message: 'must be a platform name' });
  });
  if (platforms.length === 0)
    issues.push({ field: 'campaign.platforms', message: 'must name at least one platform' });
  return names.size;
}

function toLine(q: Quote): BreakdownLine {
  return {
    operation: q.operation,
    name: q.name,
    quantity: q.quantity,
    params: q.params,
    unit: q.unit,
    unitMin: q.unitMin,
    unitExpected: q.unitExpected,
    unitMax: q.unitMax,
    min: q.min,
    expected: q.expected,
    max: q.max,
    exact: q.exact,
    description: q.description,
  };
}

const MAX_ALTERNATIVES_PER_ITEM = 3;

/** Cheaper tiers of the same operation, then the catalog's listed alternatives; strictly cheaper only. */
export function alternativesFor(catalog: Catalog, quote: Quote, item: number): Alternative[] {
  const candidates: Quote[] = [];
  const op = findOperation(catalog, quote.operation);
  if (!op) return [];
  if (op.rule.type === 'tier' && quote.tier) {
    const param = op.rule.param;
    for (const tierKey of Object.keys(op.rule.tiers)) {
      if (tierKey === quote.tier.key) continue;
      const params = { ...quote.params, [param]: tierKey };
      const result = quoteOrIssues(
        catalog,
        { operation: op.key, quantity: quote.quantity, params },
        { exact: false },
      );
      if ('quote' in result) candidates.push(result.quote);
    }
  }
  for (const altKey of op.alternatives) {
    const result = quoteOrIssues(catalog, { operation: altKey, quantity: quote.quantity }, { exact: false });
    if ('quote' in result) candidates.push(result.quote);
  }
  return candidates
    .filter((alt) => alt.expected < quote.expected && alt.unitExpected < quote.unitExpected)
    .sort((a, b) => a.expected - b.expected)
    .slice(0, MAX_ALTERNATIVES_PER_ITEM)
    .map((alt) => toAlternative(quote, alt, item));
}

function toAlternative(current: Quote, alt: Quote, item: number): Alternative {
  const sameOperation = alt.operation === current.operation;
  const insteadName = sameOperation && alt.tier ? alt.tier.name : alt.name;
  const forName = sameOperation && current.tier ? current.tier.name : current.name;
  const savings = current.expected - alt.expected;
  const verb = alt.tier?.level === 'budget' ? `Test with ${insteadName}` : `Use ${insteadName}`;
  const link = alt.tier?.level === 'budget' ? 'before' : 'instead of';
  const unitText = (q: Quote) =>
    q.unitExpected === 0 ? 'free' : `${formatCredits(q.unitExpected)} credits per ${q.unit}`;
  const suggestion =
    `${verb} (${unitText(alt)}) ${link} ${forName} (${unitText(current)}): ` +
    `${current.quantity} would cost ${formatCredits(alt.expected)} instead of ${formatCredits(current.expected)}, ` +
    `saving ${formatCredits(savings)}.`;
  return {
    item,
    forOperation: current.operation,
    forName: current.name,
    instead: sameOperation && alt.tier ? alt.tier.key : alt.operation,
    insteadName,
    operation: alt.operation,
    params: alt.params,
    quantity: alt.quantity,
    unitCost: alt.unitExpected,
    currentUnitCost: current.unitExpected,
    cost: alt.expected,
    currentCost: current.expected,
    savings,
    suggestion,
  };
}

export interface AffordableCount {
  operation: string;
  name: string;
  params: Record<string, ParamValue>;
  unit: string;
  unitMin: number;
  unitExpected: number;
  unitMax: number;
  /** How many the balance surely covers (at the highest unit cost); null when free, i.e. unlimited. */
  count: number | null;
  /** How many at the expected unit cost; null when that is 0. */
  countAtExpected: number | null;
}

/** How many more of one operation the balance covers. Quantity in `item` is ignored. */
export function affordableCount(
  catalog: Catalog,
  item: Omit<PriceRequest, 'quantity'> & { quantity?: number },
  balance: number,
): AffordableCount {
  const result = quoteOrIssues(catalog, { operation: item.operation, params: item.params }, { exact: false });
  if ('issues' in result) throw CreditsError.invalid(result.issues);
  const q = result.quote;
  const available = Math.max(0, Math.floor(balance));
  const howMany = (unit: number) => (unit === 0 ? null : Math.floor(available / unit));
  return {
    operation: q.operation,
    name: q.name,
    params: q.params,
    unit: q.unit,
    unitMin: q.unitMin,
    unitExpected: q.unitExpected,
    unitMax: q.unitMax,
    count: howMany(q.unitMax),
    countAtExpected: howMany(q.unitExpected),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
