import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Catalog, defaultCatalogPath, loadCatalog, parseCatalog } from './catalog/index.js';
import { CreditsError } from './errors.js';
import { affordableCount, type EstimateRequest, estimate } from './estimate.js';
import type { PriceRequest } from './pricing.js';

const catalog = loadCatalog(defaultCatalogPath());

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CreditsError) return (err.details.fields as { field: string }[]).map((f) => f.field);
    throw err;
  }
  throw new Error('expected a CreditsError');
}

describe('estimate of items', () => {
  it('3 Veo 3.1 videos and 20 Flux 2 Dev images', () => {
    const result = estimate(
      catalog,
      {
        items: [
          { operation: 'video', quantity: 3, params: { model: 'veo 3.1' } },
          { operation: 'image', quantity: 20, params: { model: 'flux 2 dev' } },
        ],
      },
      5000,
    );
    expect(result).toMatchObject({
      min: 13_000,
      expected: 13_000,
      max: 13_000,
      affordable: false,
      affordableAtExpected: false,
      balance: 5000,
      shortfall: 8000,
    });
    expect(result.breakdown.map((l) => [l.operation, l.params, l.quantity, l.unitMin, l.max])).toEqual([
      ['video', { model: 'veo-3-1' }, 3, 4000, 12_000],
      ['image', { model: 'flux-2-dev' }, 20, 50, 1000],
    ]);
    const forVideo = result.alternatives.filter((a) => a.item === 0).map((a) => [a.instead, a.cost]);
    expect(forVideo).toEqual([
      ['wan-2-5-fast', 180],
      ['seedance-lite', 900],
      ['seedance-fast', 1500],
    ]);
  });

  it('10 articles', () => {
    const result = estimate(catalog, { items: [{ operation: 'articles', quantity: 10 }] }, 100);
    expect(result).toMatchObject({ min: 100, expected: 100, max: 100, affordable: true, shortfall: 0 });
    expect(result.alternatives).toEqual([]);
  });

  it('5 Flux 2 Pro images: suggests testing with Qwen Image first', () => {
    const result = estimate(
      catalog,
      { items: [{ operation: 'image', quantity: 5, params: { model: 'flux-2-pro' } }] },
      1000,
    );
    expect(result.max).toBe(600);
    expect(result.affordable).toBe(true);
    const [cheapest] = result.alternatives;
    expect(cheapest).toMatchObject({
      forOperation: 'image',
      instead: 'qwen-image',
      insteadName: 'Qwen Image',
      operation: 'image',
      params: { model: 'qwen-image' },
      unitCost: 20,
      currentUnitCost: 120,
      cost: 100,
      currentCost: 600,
      savings: 500,
    });
    expect(cheapest?.suggestion).toBe(
      'Test with Qwen Image (20 credits per image) before Flux 2 Pro (120 credits per image): ' +
        '5 would cost 100 instead of 600, saving 500.',
    );
  });

  it('suggests nothing for the cheapest tier nor for an equally priced one', () => {
    const cheapest = estimate(catalog, { items: [{ operation: 'image', params: { model: 'qwen' } }] }, 0);
    expect(cheapest.alternatives).toEqual([]);
    const sora = estimate(catalog, { items: [{ operation: 'video', params: { model: 'sora' } }] }, 0);
    expect(sora.alternatives.map((a) => a.instead)).not.toContain('veo-3-1');
  });

  it('suggests catalog alternatives: normal mode for pro articles, editing for regeneration', () => {
    const result = estimate(
      catalog,
      {
        items: [
          { operation: 'article-pro', quantity: 10 },
          { operation: 'content-regeneration', quantity: 4 },
        ],
      },
      50,
    );
    expect(result.alternatives.map((a) => [a.item, a.instead, a.savings])).toEqual([
      [0, 'article-normal', 100],
      [1, 'content-edit', 8],
    ]);
    expect(result.alternatives[1]?.suggestion).toMatch(/Manual content editing \(free\)/);
  });

  it('spans a range and a tier without level or model', () => {
    const result = estimate(
      catalog,
      {
        items: [
          { operation: 'strategy-analysis', quantity: 2 },
          { operation: 'image', quantity: 1 },
        ],
      },
      100,
    );
    expect(result).toMatchObject({ min: 4 + 20, expected: 6 + 50, max: 10 + 600 });
    expect(result).toMatchObject({ affordable: false, affordableAtExpected: true, shortfall: 510 });
  });

  it('is affordable exactly when the balance equals the maximum', () => {
    const request = { items: [{ operation: 'article-normal', quantity: 3 }] };
    expect(estimate(catalog, request, 30)).toMatchObject({ affordable: true, shortfall: 0 });
    expect(estimate(catalog, request, 29)).toMatchObject({ affordable: false, shortfall: 1 });
  });

  it('names every bad field by item index', () => {
    const fields = fieldsOf(() =>
      estimate(
        catalog,
        {
          items: [
            { operation: 'image', quantity: 1, params: { model: 'sdxl' } },
            { operation: 'warp-drive' },
            { operation: 'image', params: { model: 'dalle' } },
            { operation: 'article-normal', quantity: -2, params: { tone: 'warm' } },
          ],
        },
        100,
      ),
    );
    expect(fields).toEqual([
      'items.1.operation',
      'items.2.params.model',
      'items.3.quantity',
      'items.3.params.tone',
    ]);
  });

  it.each([
    [{ items: [] }, ['items']],
    [{ items: 'image' }, ['items']],
    [{ items: [42] }, ['items.0']],
    [{}, ['items']],
    [{ items: Array.from({ length: 101 }, () => ({ operation: 'image' })) }, ['items']],
    [
      { items: [{ operation: 'image' }], campaign: { platforms: 1, weeks: 1, postsPerWeek: 1 } },
      ['campaign'],
    ],
  ])('refuses %j', (request, fields) => {
    expect(fieldsOf(() => estimate(catalog, request as unknown as EstimateRequest, 0))).toEqual(fields);
  });

  it('refuses a total above the limit', () => {
    const item = { operation: 'video', quantity: 200_000_000, params: { model: 'veo' } };
    expect(fieldsOf(() => estimate(catalog, { items: [item, item] }, 0))).toEqual(['items']);
  });
});

describe('estimate of a campaign', () => {
  it('2 weeks on 3 platforms, 5 posts a week', () => {
    const result = estimate(catalog, { campaign: { platforms: 3, weeks: 2, postsPerWeek: 5 } }, 60);
    expect(result).toMatchObject({
      min: 30,
      expected: 60,
      max: 90,
      affordable: false,
      affordableAtExpected: true,
    });
    expect(result.campaign).toEqual({
      operation: 'content-post',
      platforms: 3,
      weeks: 2,
      postsPerWeek: 5,
      posts: 30,
    });
    expect(result.breakdown).toHaveLength(1);
    expect(result.breakdown[0]).toMatchObject({
      operation: 'content-post',
      quantity: 30,
      unitMin: 1,
      unitMax: 3,
    });
  });

  it('complexity fixes the per-post cost; platforms may be names', () => {
    const result = estimate(
      catalog,
      {
        campaign: {
          platforms: ['LinkedIn', 'x', 'linkedin'],
          weeks: 4,
          postsPerWeek: 3,
          complexity: 'Complex',
        },
      },
      100,
    );
    expect(result).toMatchObject({ min: 72, expected: 72, max: 72, affordable: true });
    expect(result.campaign).toMatchObject({ platforms: 2, posts: 24, complexity: 'complex' });
    expect(result.breakdown[0]?.params).toEqual({ complexity: 'complex' });
  });

  it('names every bad campaign field', () => {
    const fields = fieldsOf(() =>
      estimate(
        catalog,
        {
          campaign: { platforms: 0, weeks: 1.5, postsPerWeek: 'five', complexity: 'epic' },
        } as unknown as EstimateRequest,
        0,
      ),
    );
    expect(fields).toEqual([
      'campaign.platforms',
      'campaign.weeks',
      'campaign.postsPerWeek',
      'campaign.complexity',
    ]);
    expect(
      fieldsOf(() => estimate(catalog, { campaign: { platforms: [], weeks: 1, postsPerWeek: 1 } }, 0)),
    ).toEqual(['campaign.platforms']);
  });

  it('refuses when the catalog has no campaign pricing', () => {
    const { campaign: _omit, ...rest } = catalog;
    const noCampaign: Catalog = { ...rest };
    expect(
      fieldsOf(() => estimate(noCampaign, { campaign: { platforms: 1, weeks: 1, postsPerWeek: 1 } }, 0)),
    ).toEqual(['campaign']);
  });

  it('refuses complexity when the campaign operation has a fixed cost', () => {
    const fixed = parseCatalog(
      stringify({
        name: 'Fixed posts',
        currency: 'USD',
        plans: [{ key: 'solo', name: 'Solo', kind: 'subscription', credits: 1 }],
        operations: [
          { key: 'post', name: 'Post', family: 'content', rule: { type: 'fixed', cost: 2, unit: 'post' } },
        ],
        campaign: { operation: 'post' },
      }),
      'fixed.yaml',
    );
    expect(estimate(fixed, { campaign: { platforms: 2, weeks: 1, postsPerWeek: 3 } }, 0).max).toBe(12);
    expect(
      fieldsOf(() =>
        estimate(fixed, { campaign: { platforms: 2, weeks: 1, postsPerWeek: 3, complexity: 'simple' } }, 0),
      ),
    ).toEqual(['campaign.complexity']);
  });
});

describe('affordableCount', () => {
  it('counts how many more the balance covers', () => {
    expect(
      affordableCount(catalog, { operation: 'image', params: { model: 'flux-2-pro' } }, 1000),
    ).toMatchObject({
      count: 8,
      countAtExpected: 8,
      unitMax: 120,
    });
    expect(affordableCount(catalog, { operation: 'video', params: { model: 'veo' } }, 3999).count).toBe(0);
  });

  it('is conservative for ranges and unspecified tiers', () => {
    expect(affordableCount(catalog, { operation: 'content-post' }, 10)).toMatchObject({
      count: 3,
      countAtExpected: 5,
    });
    expect(affordableCount(catalog, { operation: 'image' }, 1200)).toMatchObject({
      count: 2,
      countAtExpected: 24,
    });
  });

  it('is unlimited (null) for free operations and zero for an empty balance', () => {
    expect(affordableCount(catalog, { operation: 'publish-post' }, 0).count).toBeNull();
    expect(affordableCount(catalog, { operation: 'article-normal' }, 0).count).toBe(0);
    expect(affordableCount(catalog, { operation: 'article-normal' }, -5).count).toBe(0);
  });

  it('names bad fields', () => {
    expect(
      fieldsOf(() => affordableCount(catalog, { operation: 'image', params: { model: 'x' } }, 10)),
    ).toEqual(['params.model']);
  });
});

/** Random valid items over the default catalog, with or without model/level. */
const itemArb: fc.Arbitrary<PriceRequest> = fc.constantFrom(...catalog.operations).chain((op) => {
  const rule = op.rule;
  const quantity = fc.integer({ min: 1, max: 500 });
  const optional = (value: fc.Arbitrary<Record<string, unknown>>) =>
    fc.option(value, { nil: undefined }).map((p) => p ?? {});
  let params: fc.Arbitrary<Record<string, unknown>> = fc.constant({});
  if (rule.type === 'tier') {
    params = optional(fc.constantFrom(...Object.keys(rule.tiers)).map((m) => ({ [rule.param]: m })));
  } else if (rule.type === 'range') {
    const levels = optional(
      fc.constantFrom(...Object.keys(rule.levels)).map((complexity) => ({ complexity })),
    );
    const multiplier = rule.param;
    params = multiplier
      ? fc.tuple(levels, fc.integer({ min: 1, max: 10 })).map(([l, n]) => ({ ...l, [multiplier]: n }))
      : levels;
  }
  return fc.record({ operation: fc.constant(op.key), quantity, params });
});

describe('properties', () => {
  const requestArb = fc.array(itemArb, { minLength: 1, maxLength: 8 });
  const balanceArb = fc.integer({ min: 0, max: 2_000_000 });

  it('min ≤ expected ≤ max, and totals are the sums of the breakdown', () => {
    fc.assert(
      fc.property(requestArb, balanceArb, (items, balance) => {
        const result = estimate(catalog, { items }, balance);
        expect(result.min).toBeLessThanOrEqual(result.expected);
        expect(result.expected).toBeLessThanOrEqual(result.max);
        const sum = (k: 'min' | 'expected' | 'max') => result.breakdown.reduce((s, l) => s + l[k], 0);
        expect([result.min, result.expected, result.max]).toEqual([sum('min'), sum('expected'), sum('max')]);
        for (const line of result.breakdown) {
          expect(line.unitMin).toBeLessThanOrEqual(line.unitMax);
          expect(line.max).toBe(line.unitMax * line.quantity);
        }
      }),
    );
  });

  it('affordability and shortfall follow the balance', () => {
    fc.assert(
      fc.property(requestArb, balanceArb, (items, balance) => {
        const result = estimate(catalog, { items }, balance);
        expect(result.affordable).toBe(balance >= result.max);
        expect(result.affordableAtExpected).toBe(balance >= result.expected);
        expect(result.shortfall).toBe(Math.max(0, result.max - balance));
      }),
    );
  });

  it('alternatives are always strictly cheaper and the savings add up', () => {
    fc.assert(
      fc.property(requestArb, (items) => {
        const result = estimate(catalog, { items }, 0);
        for (const alt of result.alternatives) {
          const line = result.breakdown[alt.item];
          expect(line).toBeDefined();
          expect(alt.forOperation).toBe(line?.operation);
          expect(alt.currentCost).toBe(line?.expected);
          expect(alt.cost).toBeLessThan(alt.currentCost);
          expect(alt.unitCost).toBeLessThan(alt.currentUnitCost);
          expect(alt.savings).toBe(alt.currentCost - alt.cost);
          const again = estimate(
            catalog,
            { items: [{ operation: alt.operation, quantity: alt.quantity, params: alt.params }] },
            0,
          );
          expect(again.expected).toBe(alt.cost);
        }
      }),
    );
  });

  it('a campaign costs posts × the per-post range', () => {
    const level = fc.option(fc.constantFrom('simple', 'standard', 'complex'), { nil: undefined });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 52 }),
        fc.integer({ min: 1, max: 30 }),
        level,
        (platforms, weeks, postsPerWeek, complexity) => {
          const campaign = { platforms, weeks, postsPerWeek, ...(complexity ? { complexity } : {}) };
          const result = estimate(catalog, { campaign }, 0);
          const posts = platforms * weeks * postsPerWeek;
          const per = { simple: 1, standard: 2, complex: 3 };
          if (complexity) {
            expect([result.min, result.max]).toEqual([posts * per[complexity], posts * per[complexity]]);
          } else {
            expect([result.min, result.expected, result.max]).toEqual([posts, 2 * posts, 3 * posts]);
          }
        },
      ),
    );
  });

  it('affordableCount is the largest count the balance covers at the highest unit cost', () => {
    fc.assert(
      fc.property(itemArb, balanceArb, (item, balance) => {
        const result = affordableCount(catalog, item, balance);
        if (result.unitMax === 0) {
          expect(result.count).toBeNull();
          return;
        }
        const count = result.count ?? -1;
        expect(count * result.unitMax).toBeLessThanOrEqual(balance);
        expect((count + 1) * result.unitMax).toBeGreaterThan(balance);
      }),
    );
  });
});
