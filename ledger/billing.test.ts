import { describe, expect, it } from 'vitest';
import { addMonthsClamped, cycleAt, cycleByIndex } from './billing.js';

describe('billing cycles', () => {
  it('anchors on the subscription date, not the 1st', () => {
    const anchor = new Date('2026-03-15T10:00:00Z');
    const c = cycleAt(anchor, new Date('2026-11-21T00:00:00Z'));
    expect(c).toEqual({
      index: 8,
      start: new Date('2026-11-15T10:00:00Z'),
      end: new Date('2026-12-15T10:00:00Z'),
    });
  });

  it('clamps the 31st to short months and returns to the 31st afterwards', () => {
    const anchor = new Date('2026-01-31T00:00:00Z');
    expect(addMonthsClamped(anchor, 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonthsClamped(anchor, 2).toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(addMonthsClamped(new Date('2028-01-31T00:00:00Z'), 1).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('finds the cycle at its exact boundaries', () => {
    const anchor = new Date('2026-01-31T00:00:00Z');
    expect(cycleAt(anchor, new Date('2026-02-28T00:00:00Z')).index).toBe(1);
    expect(cycleAt(anchor, new Date('2026-02-27T23:59:59Z')).index).toBe(0);
    expect(cycleAt(anchor, anchor).index).toBe(0);
  });

  it('uses a fixed period when given one (tests run cycles in seconds)', () => {
    const anchor = new Date('2026-01-01T00:00:00Z');
    expect(cycleAt(anchor, new Date(anchor.getTime() + 12_500), 5000)).toEqual(cycleByIndex(anchor, 2, 5000));
    expect(cycleByIndex(anchor, 2, 5000).end.getTime() - anchor.getTime()).toBe(15_000);
  });
});
