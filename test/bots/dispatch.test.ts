import { describe, expect, it } from 'vitest';
import { editDistance, matchPackage, matchPhrase } from '../../bots/understanding/names.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld } from './support.js';

const sql = useTestDatabase();

describe('matching names', () => {
  it('Damerau-Levenshtein counts a swap of neighbours as one edit', () => {
    expect(editDistance('flux', 'flxu')).toBe(1);
    expect(editDistance('medium', 'meduim')).toBe(1);
    expect(editDistance('veo', 'sora')).toBeGreaterThan(2);
  });

  it('names models and operations tolerantly: case, spacing, punctuation, plurals, small typos', () => {
    const w = botWorld(sql);
    const m = (p: string) => {
      const r = matchPhrase(w.catalog, p);
      return r.kind === 'match'
        ? `${r.resolved.operation}:${Object.values(r.resolved.params).join('')}`
        : r.kind;
    };
    expect(m('veo 3.1 videos')).toBe('video:veo-3-1');
    expect(m('VEO-3.1')).toBe('video:veo-3-1');
    expect(m('Flux2Dev images')).toBe('image:flux-2-dev');
    expect(m('flux 2 pri images')).toBe('image:flux-2-pro');
    expect(m('nano bananna pro')).toBe('image:nano-banana-pro');
    expect(m('sroa 2 pro')).toBe('video:sora-2-pro');
    expect(m('articles')).toBe('article-normal:');
    expect(m('artcles')).toBe('article-normal:');
    expect(m('images')).toBe('image:');
    expect(m('unicorn rides')).toBe('none');
    expect(matchPackage(w.catalog, 'meduim')).toMatchObject({
      kind: 'match',
      fuzzy: true,
      package: { key: 'medium' },
    });
    expect(matchPackage(w.catalog, 'LARGE package')).toMatchObject({
      kind: 'match',
      fuzzy: false,
      package: { key: 'large' },
    });
    expect(matchPackage(w.catalog, 'gigantic')).toEqual({ kind: 'none' });
  });
});

describe('the dispatcher', () => {
  it('answers plain questions with the answer they ask for', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    const cases: [text: string, intent: string, says: RegExp][] = [
      ['how many credits left?', 'balance', /has 0 credits/],
      ['<@U123> what is our balance', 'balance', /has 0 credits/],
      ['<@U123|credits> how many credits left?', 'balance', /has 0 credits/],
      ['when do our monthly credits reset?', 'renewal', /reset on Dec 16/],
      ['when will we run out?', 'runway', /no run-out date in sight/],
      ['why is our balance 840?', 'why', /0 credits now \(not 840\)/],
      ['how much would 5 Flux 2 Pro images cost?', 'estimate', /5 × Flux 2 Pro/],
      ['do we have enough for 10 articles?', 'afford', /^No\. 10 × Article/],
      ['can we afford a month-long multi-platform campaign?', 'afford', /3 platforms × 4 weeks/],
      ['show history for videos', 'history', /Video generation/],
      ['who used the most credits?', 'usage', /used no credits in the last 30 days/],
      ['buy the medium package', 'buy', /Purchase requested: Medium/],
      ['set the low alert to 200', 'alerts', /low at 200 credits/],
      ['give me a login link', 'signIn', /web console/],
    ];
    for (const [text, intent, says] of cases) {
      const answer = await ws.ask('owner', text);
      expect({ text, intent: answer.intent }).toEqual({ text, intent });
      expect(answer.text, text).toMatch(says);
    }
  });

  it('asks back, or says it did not understand, rather than guessing', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    const joke = await ws.ask('owner', 'tell me a joke');
    expect(joke).toMatchObject({ intent: 'help' });
    expect(joke.text).toMatch(/^I didn't understand "tell me a joke"\. Here is what I can answer:/);
    const unsure = await ws.ask('owner', 'will we make it to the renewal');
    expect(unsure.intent).toBe('clarify');
    expect(unsure.clarification?.choices.map((c) => c.label)).toContain('When we run out at this pace');
  });
});
