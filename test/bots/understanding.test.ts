import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusVocabulary, evaluate } from '../../bots/understanding/evaluate.js';
import { INTENTS, type Reading, type Vocabulary } from '../../bots/understanding/types.js';
import {
  corpusHash,
  loadCorpus,
  MAX_TEXT,
  MODEL_FILE,
  Understander,
} from '../../bots/understanding/understand.js';

const now = new Date('2026-12-09T15:30:00Z'); // a Wednesday
let u: Understander;
let vocab: Vocabulary;

beforeAll(async () => {
  u = await Understander.load();
  vocab = corpusVocabulary(loadCorpus('train'));
});

const read = (text: string) => u.read(text, vocab, now);

describe('the understanding layer', () => {
  it('reads the held-out corpus (never trained on): at least 95 % exact, 0 confidently wrong', async () => {
    const heldout = loadCorpus('heldout');
    const train = loadCorpus('train');
    expect(heldout.examples.length).toBeGreaterThanOrEqual(150);
    expect(train.examples.length).toBeGreaterThanOrEqual(400);
    const trained = new Set(train.examples.map((e) => e.text.toLowerCase().trim()));
    expect(heldout.examples.filter((e) => trained.has(e.text.toLowerCase().trim()))).toEqual([]);
    const score = await evaluate(u, heldout);
    expect(score.misses.filter((m) => !m.clarified)).toEqual([]);
    expect(score.confidentlyWrong).toBe(0);
    expect(score.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('reads the fresh held-out corpus (never used to guide fixes) with 0 confidently wrong', async () => {
    const fresh = loadCorpus('heldout-fresh');
    expect(fresh.examples.length).toBeGreaterThanOrEqual(80);
    const seen = new Set(
      [...loadCorpus('train').examples, ...loadCorpus('heldout').examples].map((e) =>
        e.text.toLowerCase().trim(),
      ),
    );
    expect(fresh.examples.filter((e) => seen.has(e.text.toLowerCase().trim()))).toEqual([]);
    expect(new Set(fresh.examples.map((e) => e.intent))).toEqual(new Set(INTENTS));
    const score = await evaluate(u, fresh);
    expect(score.misses.filter((m) => !m.clarified)).toEqual([]);
    expect(score.confidentlyWrong).toBe(0);
  });

  it('ships the model trained from the corpus in the repo (npm run train:understanding)', () => {
    expect(JSON.parse(readFileSync(MODEL_FILE, 'utf8')).corpus).toBe(corpusHash());
  });

  it('prices the quantity asked, and says when it assumed one', async () => {
    const three = await read('can we afford 3 veo videos?');
    expect(three).toMatchObject({ intent: 'afford', clarify: false });
    expect(three.slots.items).toMatchObject([
      { operation: 'video', model: 'veo-3-1', quantity: 3, quantityStated: true },
    ]);
    const none = await read('can we afford veo');
    expect(none.slots.items).toMatchObject([{ model: 'veo-3-1', quantity: 1, quantityStated: false }]);
    const cheaper = await read('is there a cheaper way to make 10 flux 2 pro images');
    expect(cheaper.slots.items).toMatchObject([{ model: 'flux-2-pro', quantity: 10 }]);
    const upscaling = await read('how many credits does upscaling cost');
    expect(upscaling.slots.items).toMatchObject([{ operation: 'image-upscale' }]);
    expect((await read('how much is a pro mode article')).slots.items).toMatchObject([
      { operation: 'article-pro', quantity: 1, quantityStated: true },
    ]);
  });

  it('reads the questions the first users asked', async () => {
    const cases: [string, Partial<Reading>][] = [
      ['balance pls', { intent: 'balance' }],
      ['credits?', { intent: 'balance' }],
      [
        'how many credits did sam use',
        { intent: 'usage', slots: { member: { id: 'sam', name: 'Sam Lee' } } },
      ],
      ['is auto top-up on?', { intent: 'auto_top_up' }],
      ['what plan are we on', { intent: 'plan' }],
      ['we need more credits', { intent: 'need_credits' }],
      ['set the low balance alert to 500', { intent: 'set_alerts', slots: { thresholds: { low: 500 } } }],
      ['how many subscription credits vs purchased', { intent: 'sub_vs_purchased' }],
      ['list our api keys', { intent: 'keys' }],
      ['hi', { intent: 'greeting' }],
      ['thanks!', { intent: 'thanks' }],
    ];
    for (const [text, expected] of cases) expect(await read(text), text).toMatchObject(expected);
    const top = await read('who used the most credits this week?');
    expect(top).toMatchObject({ intent: 'top_spender' });
    expect(top.slots.window).toMatchObject({
      from: '2026-12-07T00:00:00.000Z',
      to: '2026-12-09T15:30:00.000Z',
    });
    const images = await read('how much did we spend on images last month');
    expect(images).toMatchObject({ intent: 'usage', slots: { operation: { key: 'image' } } });
    expect(images.slots.window).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
  });

  it('reads time windows in UTC relative to now', async () => {
    const windows: [string, string, string][] = [
      ['usage today', '2026-12-09T00:00:00.000Z', '2026-12-09T15:30:00.000Z'],
      ['usage yesterday', '2026-12-08T00:00:00.000Z', '2026-12-09T00:00:00.000Z'],
      ['usage last 7 days', '2026-12-02T15:30:00.000Z', '2026-12-09T15:30:00.000Z'],
      ['usage since monday', '2026-12-07T00:00:00.000Z', '2026-12-09T15:30:00.000Z'],
      ['usage in november', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
      ['usage last week', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
      ['usage since nov 3', '2026-11-03T00:00:00.000Z', '2026-12-09T15:30:00.000Z'],
    ];
    for (const [text, from, to] of windows) {
      expect((await u.command('usage', text.slice(6), vocab, now)).slots.window, text).toMatchObject({
        from,
        to,
      });
    }
  });

  it('keeps every number and name: what no slot uses is listed as ignored', async () => {
    const r = await read('what is our balance for sam 42');
    expect(r.ignored).toEqual(expect.arrayContaining(['42', 'Sam Lee']));
    const mention = await read('how many credits did <@U0ADA> use yesterday');
    expect(mention.slots.member).toEqual({ id: 'ada', name: 'Ada Park' });
    const stranger = await read('what did <@U0NOBODY> spend this week');
    expect(stranger.ignored).toContain('<@U0NOBODY>');
  });

  it('never reads one member for another when first names are shared', async () => {
    const twins: Vocabulary = {
      ...vocab,
      members: [
        { id: 'm0', name: 'Sam Lee' },
        { id: 'm1', name: 'Sam Ortiz' },
        { id: 'm7', name: 'Member 7' },
        { id: 'm12', name: 'Member 12' },
      ],
    };
    const ortiz = await u.read('what did sam ortiz spend this week', twins, now);
    expect(ortiz.slots.member).toEqual({ id: 'm1', name: 'Sam Ortiz' });
    expect((await u.read('what did member 12 use', twins, now)).slots.member).toEqual({
      id: 'm12',
      name: 'Member 12',
    });
    const either = await u.read('what did sam spend this week', twins, now);
    expect(either.slots.member).toBeUndefined();
    expect(either.ignored).toContain('sam (Sam Lee or Sam Ortiz?)');
    expect((await u.command('balance', 'pls', twins, now)).intent).toBe('balance');
  });

  it('reads slash-command subcommands as their intent, purchase ids as written', async () => {
    expect(await u.command('approve', 'purchase-AbC-12', vocab, now)).toMatchObject({
      intent: 'approve',
      slots: { purchaseId: 'purchase-AbC-12' },
    });
    expect(await u.command('alerts', 'low 200 critical 20', vocab, now)).toMatchObject({
      intent: 'set_alerts',
      slots: { thresholds: { low: 200, critical: 20 } },
    });
    expect(await u.command('buy', 'meduim', vocab, now)).toMatchObject({
      intent: 'buy',
      slots: { package: 'medium' },
    });
    expect(await u.command('history', 'last 5', vocab, now)).toMatchObject({
      intent: 'history',
      slots: { limit: 5 },
    });
    expect(await u.command('', '', vocab, now)).toMatchObject({ intent: 'balance' });
  });

  it('asks back with the closest readings when it is not sure', async () => {
    const r = await read('hmm the thing with the stuff');
    expect(r.clarify).toBe(true);
    expect(r.confidence).toBeLessThan(0.6);
  });

  it('reads the names of built-in object properties as plain words', async () => {
    for (const w of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype']) {
      for (const text of [
        w,
        `what is the ${w}`,
        `cost of ${w} images`,
        `usage last ${w} days`,
        `alerts low ${w}`,
      ]) {
        const r = await read(text);
        expect(INTENTS, text).toContain(r.intent);
        expect(r.slots.items?.every((i) => Number.isInteger(i.quantity)) ?? true, text).toBe(true);
      }
    }
  });

  it('reads any text up to 2,000 characters, any Unicode, any mix of languages, without throwing', async () => {
    const words = fc.constantFrom(
      'veo',
      '3',
      'credits',
      'crédits',
      '预算',
      'сколько',
      '<@U0SAM>',
      'last',
      'week',
      '🔥',
      'purchase-x',
      '\u0000',
      '1,000,000',
      'since',
      'nov',
      '%',
    );
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: MAX_TEXT }),
      fc.string({ unit: 'binary', maxLength: MAX_TEXT }),
      fc.array(words, { maxLength: 400 }).map((w) => w.join(' ').slice(0, MAX_TEXT)),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const cpu = process.cpuUsage();
        const r = await read(t);
        const used = process.cpuUsage(cpu);
        expect(INTENTS).toContain(r.intent);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        expect(typeof r.clarify).toBe('boolean');
        // Not a speed test (bench:understanding measures that): a guard against runaway work.
        expect((used.user + used.system) / 1000).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
