/**
 * Billing cycles are anchored on the subscription's own date, not the 1st of the month. A cycle
 * that starts on the 31st starts on the last day of shorter months, and goes back to the 31st
 * when the month has one (the anchor is kept, not the clamped date).
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const y = anchor.getUTCFullYear();
  const m = anchor.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      targetYear,
      targetMonth,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

export interface Cycle {
  /** 0 for the cycle that starts at the anchor. */
  index: number;
  start: Date;
  end: Date;
}

/**
 * The cycle containing `at`. `periodMs` replaces calendar months with a fixed length (tests run
 * cycles in seconds); otherwise cycles are calendar months from the anchor.
 */
export function cycleAt(anchor: Date, at: Date, periodMs?: number): Cycle {
  if (periodMs !== undefined) {
    const index = Math.max(0, Math.floor((at.getTime() - anchor.getTime()) / periodMs));
    return cycleByIndex(anchor, index, periodMs);
  }
  let index = Math.max(
    0,
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth()) - 1,
  );
  while (addMonthsClamped(anchor, index + 1).getTime() <= at.getTime()) index++;
  return cycleByIndex(anchor, index);
}

export function cycleByIndex(anchor: Date, index: number, periodMs?: number): Cycle {
  if (periodMs !== undefined) {
    const start = new Date(anchor.getTime() + index * periodMs);
    return { index, start, end: new Date(start.getTime() + periodMs) };
  }
  return { index, start: addMonthsClamped(anchor, index), end: addMonthsClamped(anchor, index + 1) };
}
