import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Catalog, defaultCatalogPath, loadCatalog, MAX_AMOUNT, parseCatalog } from './catalog/index.js';
import { CreditsError } from './errors.js';
import { findOperation, type PriceRequest, priceOperation, quoteOperation, resolveName } from './pricing.js';

const catalog = loadCatalog(defaultCatalogPath());

/** A catalog exercising the rule variants the shipped ones do not (per_unit with a param). */
const extra: Catalog = parseCatalog(
  `
name: Extra
currency: EUR
plans: [{ key: solo, name: Solo, kind: subscription, credits: 100 }]
operations:
  - key: video-extend
    name: Video extension
    family: video
    rule: { type: per_unit, cost: 10, unit: second, param: seconds }
  - key: rss
    name: RSS
    family: content
    rule: { type: per_unit, cost: 1, unit: item }
`,
  'extra.yaml',
);

function fieldsOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CreditsError) {
      expect(err.code).toBe('invalid_request');
      return err.details.fields as { field: string; message: string }[];
    }
    throw err;
  }
  throw new Error('expected a CreditsError');
}

describe('priceOperation', () => {
  it.each([
    ['image', 'qwen-image', 20],
    ['image', 'sdxl', 40],
    ['image', 'flux-2-dev', 50],
    ['image', 'flux-2-pro', 120],
    ['image', 'nano-banana-pro', 600],
    ['video', 'wan-2-5-fast', 60],
    ['video', 'seedance-lite', 300],
    ['video', 'seedance-fast', 500],
    ['video', 'veo-3-1', 4000],
    ['video', 'sora-2-pro', 4000],
    ['speech', 'speech-turbo', 8],
    ['speech', 'speech-hd', 40],
    ['music', 'music-1-5', 48],
  ])('%s with %s costs %i each', (operation, model, cost) => {
    const priced = priceOperation(catalog, { operation, quantity: 3, params: { model } });
    expect(priced).toMatchObject({
      operation,
      amount: cost * 3,
      unitCost: cost,
      min: cost * 3,
      max: cost * 3,
    });
    expect(priced.params).toEqual({ model });
  });

  it('defaults quantity to 1 and prices fixed operations', () => {
    expect(priceOperation(catalog, { operation: 'article-normal' })).toMatchObject({
      quantity: 1,
      amount: 10,
    });
    expect(priceOperation(catalog, { operation: 'article-pro', quantity: 2 }).amount).toBe(40);
    expect(priceOperation(catalog, { operation: 'image-upscale' }).amount).toBe(1000);
    expect(priceOperation(catalog, { operation: 'background-removal' }).amount).toBe(20);
  });

  it('accepts model names and aliases the way people type them', () => {
    for (const model of ['veo 3.1', 'Veo 3.1', 'VEO-3.1', 'veo']) {
      const priced = priceOperation(catalog, { operation: 'video', params: { model } });
      expect(priced.params.model).toBe('veo-3-1');
      expect(priced.amount).toBe(4000);
    }
    expect(priceOperation(catalog, { operation: 'image', params: { model: 'Flux Pro' } }).amount).toBe(120);
  });

  it('accepts an operation name or alias and reports the canonical key', () => {
    expect(priceOperation(catalog, { operation: 'articles', quantity: 10 })).toMatchObject({
      operation: 'article-normal',
      amount: 100,
    });
    expect(priceOperation(catalog, { operation: 'Background Removal' }).operation).toBe('background-removal');
  });

  it('uses a tier op default when no model is given', () => {
    expect(priceOperation(catalog, { operation: 'music' })).toMatchObject({
      amount: 48,
      params: { model: 'music-1-5' },
    });
  });

  it('prices a range operation exactly by complexity level', () => {
    const levels = { simple: 1, standard: 2, complex: 3 };
    for (const [complexity, cost] of Object.entries(levels)) {
      const priced = priceOperation(catalog, {
        operation: 'content-post',
        quantity: 4,
        params: { complexity },
      });
      expect(priced).toMatchObject({
        amount: 4 * cost,
        exact: true,
        level: complexity,
        params: { complexity },
      });
    }
    expect(priceOperation(catalog, { operation: 'assistant-question' }).amount).toBe(1);
  });

  it('multiplies by a declared parameter', () => {
    expect(
      priceOperation(catalog, {
        operation: 'multi-platform-content',
        quantity: 2,
        params: { platforms: 3, complexity: 'complex' },
      }).amount,
    ).toBe(2 * 3 * 2);
    const extended = priceOperation(extra, {
      operation: 'video-extend',
      quantity: 2,
      params: { seconds: 8 },
    });
    expect(extended).toMatchObject({ amount: 160, unitCost: 80, params: { seconds: 8 } });
    expect(extended.description).toContain('8 second(s) × 10 credits');
    expect(priceOperation(extra, { operation: 'video-extend', params: { seconds: '5' } }).amount).toBe(50);
    expect(priceOperation(extra, { operation: 'rss', quantity: 25 }).amount).toBe(25);
  });

  it('prices free operations at zero', () => {
    expect(priceOperation(catalog, { operation: 'schedule-post', quantity: 9 })).toMatchObject({ amount: 0 });
  });

  it('describes what it priced', () => {
    expect(
      priceOperation(catalog, { operation: 'image', quantity: 5, params: { model: 'flux-2-pro' } })
        .description,
    ).toBe('5 × Image generation (Flux 2 Pro) at 120 credits per image = 600 credits');
  });

  describe('refuses bad requests, naming the field', () => {
    it('unknown operation, suggesting close keys first', () => {
      const [issue, ...rest] = fieldsOf(() => priceOperation(catalog, { operation: 'imgae' }));
      expect(rest).toEqual([]);
      expect(issue?.field).toBe('operation');
      expect(issue?.message).toMatch(/unknown operation "imgae"; try image,/);
    });

    it('missing operation', () => {
      expect(fieldsOf(() => priceOperation(catalog, {} as PriceRequest))[0]?.field).toBe('operation');
    });

    it('unknown parameter', () => {
      const issues = fieldsOf(() =>
        priceOperation(catalog, { operation: 'image', params: { model: 'sdxl', size: 'big' } }),
      );
      expect(issues).toEqual([{ field: 'params.size', message: expect.stringMatching(/accepts model/) }]);
      expect(
        fieldsOf(() => priceOperation(catalog, { operation: 'article-normal', params: { x: 1 } }))[0],
      ).toEqual({
        field: 'params.x',
        message: expect.stringMatching(/takes no parameters/),
      });
    });

    it('unknown tier, listing the valid ones', () => {
      const [issue] = fieldsOf(() =>
        priceOperation(catalog, { operation: 'image', params: { model: 'dalle' } }),
      );
      expect(issue?.field).toBe('params.model');
      expect(issue?.message).toMatch(/"dalle"/);
      expect(issue?.message).toMatch(/qwen-image \(20\).*nano-banana-pro \(600\)/);
    });

    it('missing tier or complexity where the price would be ambiguous', () => {
      expect(fieldsOf(() => priceOperation(catalog, { operation: 'video' }))[0]?.field).toBe('params.model');
      const [issue] = fieldsOf(() => priceOperation(catalog, { operation: 'content-post' }));
      expect(issue?.field).toBe('params.complexity');
      expect(issue?.message).toMatch(/simple \(1\), standard \(2\), complex \(3\)/);
      expect(
        fieldsOf(() =>
          priceOperation(catalog, { operation: 'content-post', params: { complexity: 'epic' } }),
        )[0]?.field,
      ).toBe('params.complexity');
    });

    it.each([0, -1, 1.5, Number.NaN, '3', 2 ** 60])('quantity %s', (quantity) => {
      const issues = fieldsOf(() =>
        priceOperation(catalog, { operation: 'article-normal', quantity } as PriceRequest),
      );
      expect(issues.map((i) => i.field)).toEqual(['quantity']);
    });

    it('a bad multiplier parameter', () => {
      for (const seconds of [0, -3, 2.5, 'ten', undefined]) {
        const params = seconds === undefined ? {} : { seconds };
        const issues = fieldsOf(() => priceOperation(extra, { operation: 'video-extend', params }));
        expect(issues.map((i) => i.field)).toEqual(['params.seconds']);
      }
    });

    it('every problem of one request at once', () => {
      const issues = fieldsOf(() =>
        priceOperation(catalog, {
          operation: 'image',
          quantity: 0,
          params: { model: 'nope', colour: 'red' },
        }),
      );
      expect(issues.map((i) => i.field).sort()).toEqual(['params.colour', 'params.model', 'quantity']);
    });

    it('amounts above the limit', () => {
      const quantity = MAX_AMOUNT / 4000 + 1;
      const [issue] = fieldsOf(() =>
        priceOperation(catalog, { operation: 'video', quantity, params: { model: 'veo' } }),
      );
      expect(issue?.field).toBe('quantity');
      expect(issue?.message).toMatch(/above the limit of 1,000,000,000,000/);
      expect(
        priceOperation(catalog, { operation: 'video', quantity: MAX_AMOUNT / 4000, params: { model: 'veo' } })
          .amount,
      ).toBe(MAX_AMOUNT);
    });
  });
});

describe('quoteOperation', () => {
  it('spans all tiers when no model is named', () => {
    expect(quoteOperation(catalog, { operation: 'image', quantity: 2 })).toMatchObject({
      min: 40,
      expected: 100,
      max: 1200,
      exact: false,
      params: {},
    });
  });

  it('spans min..max of a range without a level', () => {
    expect(quoteOperation(catalog, { operation: 'strategy-analysis' })).toMatchObject({
      min: 2,
      expected: 3,
      max: 5,
    });
  });

  it('uses the default level, like a debit would', () => {
    expect(quoteOperation(catalog, { operation: 'assistant-question', quantity: 4 })).toMatchObject({
      min: 4,
      max: 4,
      exact: true,
      params: { complexity: 'standard' },
    });
  });
});

describe('findOperation and resolveName', () => {
  it('finds by key, name, alias and plural', () => {
    expect(findOperation(catalog, 'image')?.key).toBe('image');
    expect(findOperation(catalog, 'Image generation')?.key).toBe('image');
    expect(findOperation(catalog, 'bg remover')?.key).toBe('background-removal');
    expect(findOperation(catalog, 'outlines')?.key).toBe('outline');
    expect(findOperation(catalog, 'teleport')).toBeUndefined();
  });

  it('resolves model names to their operation and tier', () => {
    expect(resolveName(catalog, 'sora')).toEqual({ operation: 'video', params: { model: 'sora-2-pro' } });
    expect(resolveName(catalog, 'Nano Banana Pro')).toEqual({
      operation: 'image',
      params: { model: 'nano-banana-pro' },
    });
    expect(resolveName(catalog, 'crystal upscaler')).toEqual({ operation: 'image-upscale', params: {} });
    expect(resolveName(catalog, 'unicorn')).toBeUndefined();
  });
});

/** Every request the default catalog can price exactly. */
function exactRequests(cat: Catalog): fc.Arbitrary<Omit<PriceRequest, 'quantity'>> {
  const options = cat.operations.flatMap((op): Omit<PriceRequest, 'quantity'>[] => {
    const rule = op.rule;
    switch (rule.type) {
      case 'tier':
        return Object.keys(rule.tiers).map((model) => ({
          operation: op.key,
          params: { [rule.param]: model },
        }));
      case 'range': {
        const extraParam = rule.param ? { [rule.param]: 3 } : {};
        return Object.keys(rule.levels).map((complexity) => ({
          operation: op.key,
          params: { ...extraParam, complexity },
        }));
      }
      case 'per_unit':
        return [{ operation: op.key, params: rule.param ? { [rule.param]: 4 } : {} }];
      default:
        return [{ operation: op.key }];
    }
  });
  return fc.constantFrom(...options);
}

describe('properties', () => {
  it('the amount is linear in quantity and never above the limit', () => {
    fc.assert(
      fc.property(exactRequests(catalog), fc.integer({ min: 1, max: 1_000_000 }), (request, quantity) => {
        const one = priceOperation(catalog, request);
        const many = priceOperation(catalog, { ...request, quantity });
        expect(many.amount).toBe(one.amount * quantity);
        expect(Number.isSafeInteger(many.amount)).toBe(true);
        expect(many.amount).toBeLessThanOrEqual(MAX_AMOUNT);
        expect(many.min).toBe(many.amount);
        expect(many.max).toBe(many.amount);
      }),
    );
  });

  it('an exact price lies within the estimate range without level or tier', () => {
    const hasDefault = (operation: string) => {
      const rule = findOperation(catalog, operation)?.rule;
      return rule !== undefined && 'default' in rule && rule.default !== undefined;
    };
    const withoutDefault = exactRequests(catalog).filter((r) => !hasDefault(r.operation));
    fc.assert(
      fc.property(withoutDefault, fc.integer({ min: 1, max: 1000 }), (request, quantity) => {
        const exact = priceOperation(catalog, { ...request, quantity });
        const { complexity: _c, model: _m, ...rest } = request.params ?? {};
        const loose = quoteOperation(catalog, { operation: request.operation, quantity, params: rest });
        expect(loose.min).toBeLessThanOrEqual(loose.expected);
        expect(loose.expected).toBeLessThanOrEqual(loose.max);
        expect(exact.amount).toBeGreaterThanOrEqual(loose.min);
        expect(exact.amount).toBeLessThanOrEqual(loose.max);
      }),
    );
  });

  it('either prices within the limit or refuses with field quantity', () => {
    fc.assert(
      fc.property(
        exactRequests(catalog),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (request, quantity) => {
          try {
            expect(priceOperation(catalog, { ...request, quantity }).amount).toBeLessThanOrEqual(MAX_AMOUNT);
          } catch (err) {
            expect(err).toBeInstanceOf(CreditsError);
            expect((err as CreditsError).details.fields).toEqual([
              { field: 'quantity', message: expect.any(String) },
            ]);
          }
        },
      ),
    );
  });
});
