import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { picker, seededRandom, ZipfSampler } from '../../bench/zipf.js';

describe('ZipfSampler', () => {
  it('has probabilities that sum to 1 and fall as ((k+1)/k)^s, as pgbench documents', () => {
    for (const s of [1, 2]) {
      const z = new ZipfSampler(10_000, s);
      let total = 0;
      for (let k = 0; k < z.n; k++) total += z.probability(k);
      expect(total).toBeCloseTo(1, 9);
      for (const k of [1, 2, 10, 500]) {
        expect(z.probability(k - 1) / z.probability(k)).toBeCloseTo(((k + 1) / k) ** s, 6);
      }
    }
  });

  it('maps every u in [0, 1) to the rank whose CDF interval holds it', () => {
    const z = new ZipfSampler(1000, 1.3);
    const cdf = (k: number) => {
      let c = 0;
      for (let j = 0; j <= k; j++) c += z.probability(j);
      return c;
    };
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        const k = z.rankAt(u);
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThan(z.n);
        expect(cdf(k)).toBeGreaterThan(u - 1e-12);
        if (k > 0) expect(cdf(k - 1)).toBeLessThanOrEqual(u + 1e-12);
      }),
    );
    expect(z.rankAt(0)).toBe(0);
    expect(z.rankAt(0.999999999)).toBe(z.n - 1);
  });

  it('draws ranks with the frequencies it claims (s = 2 over 10,000)', () => {
    const z = new ZipfSampler(10_000, 2);
    const random = seededRandom(42);
    const draws = 200_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const k = z.sample(random);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const k of [0, 1, 2, 9]) {
      const p = z.probability(k);
      const sd = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs((counts.get(k) ?? 0) / draws - p)).toBeLessThan(5 * sd);
    }
  });

  it('refuses shapes it cannot draw', () => {
    expect(() => new ZipfSampler(0, 1)).toThrow(/n ≥ 1/);
    expect(() => new ZipfSampler(10, Number.NaN)).toThrow(/s ≥ 0/);
  });
});

describe('picker', () => {
  const ws = Array.from({ length: 100 }, (_, i) => `w${i}`);

  it('is deterministic per seed and client, and differs across clients', () => {
    const a = picker(ws, { kind: 'uniform' }, 7);
    const b = picker(ws, { kind: 'uniform' }, 7);
    const seqA = Array.from({ length: 50 }, (_, i) => a(3, i));
    expect(Array.from({ length: 50 }, (_, i) => b(3, i))).toEqual(seqA);
    expect(Array.from({ length: 50 }, (_, i) => a(4, i))).not.toEqual(seqA);
  });

  it('spreads uniformly, sends everything to the first workspace when hot, and favours it under Zipf', () => {
    const uniform = picker(ws, { kind: 'uniform' }, 1);
    const seen = new Set(Array.from({ length: 5000 }, (_, i) => uniform(0, i)));
    expect(seen.size).toBe(ws.length);
    const hot = picker(ws, { kind: 'hot' }, 1);
    expect(new Set(Array.from({ length: 100 }, (_, i) => hot(i % 8, i)))).toEqual(new Set(['w0']));
    const zipf = picker(ws, { kind: 'zipf', s: 2 }, 1);
    const first = Array.from({ length: 5000 }, (_, i) => zipf(0, i)).filter((w) => w === 'w0').length;
    expect(first / 5000).toBeGreaterThan(0.55);
    expect(first / 5000).toBeLessThan(0.67);
  });
});
