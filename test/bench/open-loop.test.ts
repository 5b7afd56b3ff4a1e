import { describe, expect, it } from 'vitest';
import { openLoop, poissonSchedule } from '../../bench/open-loop.js';
import { seededRandom } from '../../bench/zipf.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('poissonSchedule', () => {
  it('is ascending, inside the window, near rate × duration, and the same for the same seed', () => {
    const a = poissonSchedule(1000, 10_000, seededRandom(5));
    expect(a).toEqual(poissonSchedule(1000, 10_000, seededRandom(5)));
    expect(a.every((t, i) => t >= 0 && t < 10_000 && (i === 0 || t >= a[i - 1]!))).toBe(true);
    // 10,000 expected; a Poisson count's standard deviation is 100.
    expect(Math.abs(a.length - 10_000)).toBeLessThan(500);
    expect(() => poissonSchedule(0, 1000, seededRandom(1))).toThrow(/rate > 0/);
  });
});

describe('openLoop', () => {
  it('sends everything on time when the server keeps up', async () => {
    const r = await openLoop({ rate: 400, ms: 500, maxInFlight: 8, lateLimitMs: 200, seed: 1 }, () =>
      sleep(1),
    );
    expect(r.missed).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.ops).toBe(r.scheduled);
    expect(r.scheduled).toBeGreaterThan(120);
    expect(r.p50ms).toBeLessThan(50);
  });

  it('keeps the schedule when the server is slow: requests it cannot start in time are missed, latency runs from the schedule', async () => {
    // One slot, 20 ms per request, 200 requests/s asked: at most ~25 of ~100 can be served.
    const inFlight: number[] = [];
    let now = 0;
    const r = await openLoop({ rate: 200, ms: 500, maxInFlight: 1, lateLimitMs: 10, seed: 2 }, async () => {
      inFlight.push(++now);
      await sleep(20);
      now--;
    });
    expect(Math.max(...inFlight)).toBe(1);
    expect(r.missed).toBeGreaterThan(r.scheduled / 2);
    expect(r.ops + r.missed + r.errors).toBe(r.scheduled);
    expect(r.ops).toBeLessThanOrEqual(30);
    expect(r.p99ms).toBeGreaterThanOrEqual(r.serviceP99ms);
    expect(r.serviceP50ms).toBeGreaterThanOrEqual(18);
  });

  it('counts failures as errors, not as completions', async () => {
    const r = await openLoop({ rate: 200, ms: 200, maxInFlight: 4, lateLimitMs: 100, seed: 3 }, async () => {
      throw new Error('refused');
    });
    expect(r.ops).toBe(0);
    expect(r.errors + r.missed).toBe(r.scheduled);
    expect(r.errors).toBeGreaterThan(0);
  });
});
