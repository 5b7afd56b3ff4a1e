import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { resolveName } from '../pricing.js';
import {
  type Catalog,
  CatalogError,
  type CatalogInput,
  catalogSummary,
  defaultCatalogPath,
  loadCatalog,
  parseCatalog,
} from './index.js';

const catalogB = join(defaultCatalogPath(), '..', 'studio-packages-b.yaml');

function minimal(): CatalogInput {
  return {
    name: 'Test',
    currency: 'USD',
    plans: [{ key: 'solo', name: 'Solo', kind: 'subscription', credits: 980 }],
    operations: [
      {
        key: 'image',
        name: 'Image generation',
        family: 'image',
        rule: {
          type: 'tier',
          tiers: {
            'qwen-image': { name: 'Qwen Image', cost: 20, level: 'budget' },
            'flux-2-pro': { name: 'Flux 2 Pro', cost: 120, level: 'premium' },
          },
        },
      },
      { key: 'post', name: 'Post', family: 'content', rule: { type: 'range', min: 1, max: 3 } },
    ],
  };
}

function problemsOf(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CatalogError) return err;
    throw err;
  }
  throw new Error('expected a CatalogError');
}

describe('shipped catalogs', () => {
  it('defaultCatalogPath points at catalogs/default.yaml', () => {
    const path = defaultCatalogPath();
    expect(isAbsolute(path)).toBe(true);
    expect(path.endsWith(join('catalogs', 'default.yaml'))).toBe(true);
    expect(existsSync(path)).toBe(true);
  });

  it.each([defaultCatalogPath(), catalogB])('%s has the seed plans', (file) => {
    const catalog = loadCatalog(file);
    const plans = Object.fromEntries(catalog.plans.map((p) => [p.key, p]));
    expect(plans.trial).toMatchObject({
      kind: 'trial',
      paid: false,
      credits: 60,
      expires: 'never',
      prices: { once: 3 },
    });
    expect(plans.solo).toMatchObject({
      kind: 'subscription',
      paid: true,
      credits: 980,
      billing: ['monthly', 'yearly'],
    });
    expect(plans.business?.credits).toBe(2200);
    expect(plans.agency?.credits).toBe(4500);
    for (const plan of catalog.plans) expect(plan.rollover).toEqual({ mode: 'none' });
    expect(catalog.lotPriorities).toEqual({ subscription: 10, promotional: 20, trial: 30, purchased: 40 });
    expect(catalog.alerts).toEqual({ low: 100, critical: 10 });
  });

  it('catalog A sells permanent packages', () => {
    const packages = loadCatalog(defaultCatalogPath()).packages;
    expect(packages.map((p) => [p.key, p.credits, p.price, p.validityDays])).toEqual([
      ['small', 1000, 50, null],
      ['medium', 5000, 250, null],
      ['large', 10000, 500, null],
    ]);
  });

  it('catalog B sells packages valid for 12 months', () => {
    const packages = loadCatalog(catalogB).packages;
    expect(packages.map((p) => [p.key, p.credits, p.price, p.validityDays])).toEqual([
      ['starter', 100, 10, 365],
      ['basic', 250, 25, 365],
      ['popular', 550, 50, 365],
      ['pro', 1100, 100, 365],
      ['max', 2350, 200, 365],
    ]);
  });

  it.each([defaultCatalogPath(), catalogB])('%s knows every name the chat examples use', (file) => {
    const catalog = loadCatalog(file);
    expect(resolveName(catalog, 'veo 3.1')).toEqual({ operation: 'video', params: { model: 'veo-3-1' } });
    expect(resolveName(catalog, 'flux 2 dev')).toEqual({
      operation: 'image',
      params: { model: 'flux-2-dev' },
    });
    expect(resolveName(catalog, 'Flux 2 Pro')).toEqual({
      operation: 'image',
      params: { model: 'flux-2-pro' },
    });
    expect(resolveName(catalog, 'articles')).toEqual({ operation: 'article-normal', params: {} });
    expect(catalog.campaign?.operation).toBe('content-post');
  });

  it('has the seed costs for image, video, audio and tool tiers', () => {
    const summary = catalogSummary(loadCatalog(defaultCatalogPath()));
    const costs = Object.fromEntries(
      summary.operations.flatMap((op) =>
        op.tiers ? op.tiers.map((t) => [t.name, t.cost]) : [[op.name, op.cost ?? null]],
      ),
    );
    expect(costs).toMatchObject({
      'Qwen Image': 20,
      SDXL: 40,
      'Flux 2 Dev': 50,
      'Flux 2 Pro': 120,
      'Nano Banana Pro': 600,
      'Wan 2.5 Fast': 60,
      'Seedance Lite': 300,
      'Seedance Fast': 500,
      'Veo 3.1': 4000,
      'Sora 2 Pro': 4000,
      'Speech Turbo': 8,
      'Speech HD': 40,
      'Music 1.5': 48,
      'Background removal': 20,
      'Image upscaling': 1000,
    });
  });
});

describe('catalogSummary', () => {
  const summary = catalogSummary(loadCatalog(defaultCatalogPath()));

  it('gives monthly credits for subscriptions and one-time credits for the trial', () => {
    const plans = Object.fromEntries(summary.plans.map((p) => [p.key, p]));
    expect(plans.solo).toMatchObject({ monthlyCredits: 980, oneTimeCredits: null, paid: true });
    expect(plans.trial).toMatchObject({ monthlyCredits: null, oneTimeCredits: 60, paid: false });
  });

  it('gives packages with currency and validity', () => {
    expect(summary.packages[0]).toEqual({
      key: 'small',
      name: 'Small',
      credits: 1000,
      price: 50,
      currency: 'USD',
      validityDays: null,
    });
  });

  it('describes operations with ranges, tiers sorted by cost and levels', () => {
    const ops = Object.fromEntries(summary.operations.map((o) => [o.key, o]));
    expect(ops.image).toMatchObject({ type: 'tier', min: 20, max: 600, param: 'model', unit: 'image' });
    expect(ops.image?.tiers?.map((t) => t.cost)).toEqual([20, 40, 50, 120, 600]);
    expect(ops['content-post']).toMatchObject({
      type: 'range',
      min: 1,
      expected: 2,
      max: 3,
      levels: { simple: 1, standard: 2, complex: 3 },
    });
    expect(ops['content-edit']).toMatchObject({ type: 'free', min: 0, max: 0 });
    expect(ops['article-pro']?.alternatives).toEqual(['article-normal']);
    expect(ops['article-normal']?.description).toBe('10 credits per article');
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});

describe('parseCatalog', () => {
  it('accepts a minimal catalog and fills in defaults', () => {
    const catalog: Catalog = parseCatalog(stringify(minimal()), 'mini.yaml');
    expect(catalog.packages).toEqual([]);
    expect(catalog.lotPriorities.purchased).toBe(40);
    expect(catalog.plans[0]).toMatchObject({
      paid: true,
      creditType: 'subscription',
      expires: 'cycle_end',
      rollover: { mode: 'none' },
      planChange: 'next_cycle',
    });
    const post = catalog.operations[1]?.rule;
    expect(post).toMatchObject({ expected: 2, levels: { simple: 1, standard: 2, complex: 3 } });
    const image = catalog.operations[0]?.rule;
    expect(image).toMatchObject({ param: 'model' });
  });

  it('reads JSON by extension, with the same result as YAML', () => {
    const yamlText = readFileSync(defaultCatalogPath(), 'utf8');
    const json = JSON.stringify(parseYaml(yamlText));
    expect(parseCatalog(json, 'default.json')).toEqual(parseCatalog(yamlText, 'default.yaml'));
  });

  it('loads a JSON file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'mini.json');
    writeFileSync(file, JSON.stringify(minimal()));
    expect(loadCatalog(file).name).toBe('Test');
  });

  it('names the file, the path and the line of a bad value deep inside', () => {
    const input = minimal();
    const text = stringify(input).replace('cost: 120', 'cost: "lots"');
    const err = problemsOf(() => parseCatalog(text, 'bad.yaml'));
    expect(err.file).toBe('bad.yaml');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.path).toBe('operations[0].rule.tiers.flux-2-pro.cost');
    const line = text.split('\n').findIndex((l) => l.includes('"lots"')) + 1;
    expect(err.problems[0]?.line).toBe(line);
    expect(err.message).toContain('bad.yaml');
    expect(err.message).toContain(`operations[0].rule.tiers.flux-2-pro.cost (line ${line})`);
    expect(err.message).toMatch(/whole number/);
  });

  it('lists every problem at once, shape and cross-field alike', () => {
    const input = minimal() as CatalogInput & { operations: unknown[]; plans: unknown[] };
    input.currency = 'dollars';
    input.plans.push({ key: 'solo', name: 'Solo again', kind: 'subscription', credits: -5 });
    input.operations.push(
      { key: 'image', name: 'Duplicate', family: 'image', rule: { type: 'fixed', cost: 1 } },
      { key: 'bad-range', name: 'Bad', family: 'content', rule: { type: 'range', min: 5, max: 2 } },
      {
        key: 'off-range',
        name: 'Off',
        family: 'content',
        rule: { type: 'range', min: 1, max: 3, expected: 9 },
      },
      {
        key: 'pro',
        name: 'Pro',
        family: 'content',
        rule: { type: 'fixed', cost: 5 },
        alternatives: ['nope', 'pro'],
      },
      { key: 'typo', name: 'Typo', family: 'content', rule: { type: 'fixed', cots: 5 } },
      { key: 'Not Kebab', name: 'Bad key', family: 'content', rule: { type: 'free' } },
      { key: 'weird', name: 'Weird', family: 'content', rule: { type: 'magic' } },
    );
    (input as Record<string, unknown>).campaign = { operation: 'missing-op' };
    const err = problemsOf(() => parseCatalog(stringify(input), 'many.yaml'));
    const paths = err.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'currency',
        'plans[1].key',
        'plans[1].credits',
        'operations[2].key',
        'operations[3].rule.min',
        'operations[4].rule.expected',
        'operations[5].alternatives[0]',
        'operations[5].alternatives[1]',
        'operations[6].rule.cost',
        'operations[6].rule',
        'operations[7].key',
        'operations[8].rule.type',
        'campaign.operation',
      ]),
    );
    const byPath = (path: string) => err.problems.filter((p) => p.path === path).map((p) => p.message);
    expect(byPath('plans[1].key').join()).toMatch(/duplicate key "solo"/);
    expect(byPath('operations[6].rule').join()).toMatch(/cots/);
    expect(byPath('operations[8].rule.type').join()).toMatch(/"fixed"/);
    expect(byPath('campaign.operation').join()).toMatch(/missing-op/);
    for (const path of paths.filter(Boolean)) expect(err.message).toContain(path);
  });

  it('checks tier keys and levels', () => {
    const input = minimal() as CatalogInput & { operations: unknown[] };
    const image = input.operations[0] as { rule: Record<string, unknown> };
    image.rule.tiers = {
      'qwen-image': { name: 'Qwen Image', cost: 20, level: 'ultra' },
      'Flux Pro': { name: 'Flux', cost: 10, level: 'budget' },
    };
    const err = problemsOf(() => parseCatalog(stringify(input), 'tiers.yaml'));
    expect(err.problems.map((p) => p.path).sort()).toEqual([
      'operations[0].rule.tiers.Flux Pro',
      'operations[0].rule.tiers.qwen-image.level',
    ]);
    expect(err.message).toMatch(/kebab-case/);
  });

  it('checks the tier default and ambiguous names within and across operations', () => {
    const input = minimal() as CatalogInput & { operations: unknown[] };
    const image = input.operations[0] as { rule: Record<string, unknown> };
    image.rule.default = 'sdxl';
    image.rule.tiers = {
      'qwen-image': { name: 'Qwen Image', cost: 20, level: 'budget', aliases: ['qwen'] },
      qwen: { name: 'Qwen Cheap', cost: 10, level: 'budget' },
    };
    (input.operations[1] as { aliases?: string[] }).aliases = ['Image Generation'];
    const err = problemsOf(() => parseCatalog(stringify(input), 'tiers.yaml'));
    expect(err.problems.map((p) => p.path).sort()).toEqual([
      'operations[0].rule.default',
      'operations[0].rule.tiers.qwen',
      'operations[1].aliases[0]',
    ]);
    expect(err.problems.find((p) => p.path === 'operations[1].aliases[0]')?.message).toMatch(/already names/);
  });

  it('refuses a paid trial and rollover on a trial, and prices without that billing', () => {
    const input = minimal() as CatalogInput & { plans: unknown[] };
    input.plans.push({
      key: 'trial',
      name: 'Trial',
      kind: 'trial',
      paid: true,
      credits: 60,
      prices: { monthly: 3 },
      rollover: { mode: 'capped', cap: 10 },
    });
    const err = problemsOf(() => parseCatalog(stringify(input), 'trial.yaml'));
    expect(err.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['plans[1].paid', 'plans[1].prices.monthly', 'plans[1].rollover']),
    );
  });

  it('requires low above critical for alerts', () => {
    const input = { ...minimal(), alerts: { low: 5, critical: 10 } };
    const err = problemsOf(() => parseCatalog(stringify(input), 'alerts.yaml'));
    expect(err.problems.map((p) => p.path)).toEqual(['alerts.low']);
  });

  it('refuses a campaign operation that needs parameters', () => {
    const input = { ...minimal(), campaign: { operation: 'image' } };
    const err = problemsOf(() => parseCatalog(stringify(input), 'campaign.yaml'));
    expect(err.problems.map((p) => p.path)).toEqual(['campaign.operation']);
  });

  it('reports YAML and JSON syntax errors with the file name', () => {
    const yamlErr = problemsOf(() => parseCatalog('name: [unclosed', 'broken.yaml'));
    expect(yamlErr.message).toMatch(/broken\.yaml/);
    expect(yamlErr.message).toMatch(/not valid YAML/);
    const jsonErr = problemsOf(() => parseCatalog('{"name": ', 'broken.json'));
    expect(jsonErr.message).toMatch(/not valid JSON/);
  });

  it('reports duplicate mapping keys and an empty document', () => {
    expect(problemsOf(() => parseCatalog('name: a\nname: b\n', 'dup.yaml')).message).toMatch(
      /not valid YAML/,
    );
    const empty = problemsOf(() => parseCatalog('', 'empty.yaml'));
    expect(empty.problems.length).toBeGreaterThan(0);
  });

  it('reports a missing file as a CatalogError', () => {
    const err = problemsOf(() => loadCatalog('/nonexistent/catalog.yaml'));
    expect(err.message).toMatch(/\/nonexistent\/catalog\.yaml/);
    expect(err.message).toMatch(/cannot read/);
  });
});
