const DAY_MS = 24 * 3600 * 1000;

const NUMBER = new Intl.NumberFormat('en-US');
const DAY_THIS_YEAR = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const DAY_OTHER_YEAR = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

export function n(value: number): string {
  return NUMBER.format(value);
}

export function credits(value: number): string {
  return `${n(value)} ${Math.abs(value) === 1 ? 'credit' : 'credits'}`;
}

export function signed(value: number): string {
  return value > 0 ? `+${n(value)}` : value < 0 ? `−${n(-value)}` : '0';
}

/** "Dec 12" (with the year when it is not this year's), in UTC. */
export function day(at: string | Date, now: Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return (date.getUTCFullYear() === now.getUTCFullYear() ? DAY_THIS_YEAR : DAY_OTHER_YEAR).format(date);
}

export function dayTime(at: string | Date, now: Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  const time = TIME.format(date);
  return `${day(date, now)} ${time}`;
}

/** "in 3 days", "tomorrow", "today", "in 5 hours". */
export function relative(at: string | Date, now: Date): string {
  const ms = (typeof at === 'string' ? new Date(at) : at).getTime() - now.getTime();
  if (ms <= 0) return 'now';
  const hours = ms / 3600_000;
  if (hours < 20) return `in ${Math.max(1, Math.round(hours))} hour${Math.round(hours) === 1 ? '' : 's'}`;
  const days = Math.round(ms / DAY_MS);
  return days <= 1 ? 'tomorrow' : `in ${days} days`;
}

export function daysBetween(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

export function money(amount: number, currency: string): string {
  try {
    return amount.toLocaleString('en-US', { style: 'currency', currency });
  } catch {
    return `${amount} ${currency}`;
  }
}

export const LOT_TYPE_NAMES: Record<string, string> = {
  subscription: 'monthly',
  promotional: 'promotional',
  trial: 'trial',
  purchased: 'purchased',
};

export { DAY_MS };
