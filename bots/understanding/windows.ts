import * as chrono from 'chrono-node';
import { SPAN_WORDS } from './number-words.js';
import type { WindowSlot } from './types.js';

/**
 * Time windows in a question, relative to `now` in UTC: "today", "yesterday", "this week" (from
 * Monday), "last month" (the calendar month), "last 7 days", "since Monday", "in November",
 * "since Nov 3", "from Nov 1 to Nov 15". Weeks start on Monday. Open windows end at `now`.
 * Relative words are read here; explicit dates go to chrono-node.
 */

export interface FoundWindow {
  window: WindowSlot;
  start: number;
  end: number;
}

const DAY = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const WEEKDAY_RE = '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?';

const dayStart = (t: number) => t - (((t % DAY) + DAY) % DAY);
const iso = (t: number) => new Date(t).toISOString();
const monthStart = (year: number, month: number) => Date.UTC(year, month, 1);

function make(from: number, to: number, label: string): WindowSlot {
  return { from: iso(from), to: iso(to), label };
}

function monthIndex(word: string): number {
  return MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3)));
}

function weekdayIndex(word: string): number {
  return WEEKDAYS.findIndex((d) => d.startsWith(word.slice(0, 3)));
}

/** The month named, the latest one not after `now`; the current month ends at `now`. */
function namedMonth(month: number, now: number, label: string, year?: number): WindowSlot {
  const d = new Date(now);
  let y = year ?? d.getUTCFullYear();
  if (year === undefined && month > d.getUTCMonth()) y -= 1;
  const from = monthStart(y, month);
  const to = Math.min(monthStart(y, month + 1), now);
  return make(from, to, label);
}

/** The latest given weekday at or before today, at 00:00. */
function lastWeekday(day: number, now: number): number {
  const today = dayStart(now);
  const back = (new Date(today).getUTCDay() - day + 7) % 7;
  return today - back * DAY;
}

type Rule = { re: RegExp; read: (m: RegExpExecArray, now: number) => WindowSlot | undefined };

const count = (w: string) => (/^\d+$/.test(w) ? Number(w) : SPAN_WORDS[w]);

const RULES: Rule[] = [
  {
    re: /\b(?:in |over |during |for )?(?:the )?(?:last|past|previous|prev) (\d{1,3}|[a-z]+) (hours?|days?|weeks?|months?)\b/g,
    read: (m, now) => {
      const n = count(m[1]!);
      if (n === undefined || n < 1) return undefined;
      const unit = m[2]!.replace(/s$/, '');
      if (unit === 'month') {
        const d = new Date(now);
        const from = Date.UTC(
          d.getUTCFullYear(),
          d.getUTCMonth() - n,
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
          d.getUTCSeconds(),
          d.getUTCMilliseconds(),
        );
        return make(from, now, `last ${n} month${n === 1 ? '' : 's'}`);
      }
      const ms = unit === 'hour' ? 3_600_000 : unit === 'week' ? 7 * DAY : DAY;
      return make(now - n * ms, now, `last ${n} ${unit}${n === 1 ? '' : 's'}`);
    },
  },
  {
    re: /\b(?:so far )?today(?:'s)?\b|\bso far today\b/g,
    read: (_m, now) => make(dayStart(now), now, 'today'),
  },
  {
    re: /\byesterday(?:'s)?\b|\byday\b/g,
    read: (_m, now) => make(dayStart(now) - DAY, dayStart(now), 'yesterday'),
  },
  {
    re: /\b(?:this|current|the current) week(?:'s)?(?: so far)?\b|\bso far this week\b|\bweek to date\b/g,
    read: (_m, now) => make(lastWeekday(1, now), now, 'this week'),
  },
  {
    re: /\b(?:last|previous|past) week(?:'s)?\b/g,
    read: (_m, now) => make(lastWeekday(1, now) - 7 * DAY, lastWeekday(1, now), 'last week'),
  },
  {
    re: /\b(?:this|current|the current) month(?:'s)?(?: so far)?\b|\bso far this month\b|\bmonth to date\b|\bmtd\b/g,
    read: (_m, now) => {
      const d = new Date(now);
      return make(monthStart(d.getUTCFullYear(), d.getUTCMonth()), now, 'this month');
    },
  },
  {
    re: /\b(?:last|previous|past) month(?:'s)?\b/g,
    read: (_m, now) => {
      const d = new Date(now);
      return make(
        monthStart(d.getUTCFullYear(), d.getUTCMonth() - 1),
        monthStart(d.getUTCFullYear(), d.getUTCMonth()),
        'last month',
      );
    },
  },
  {
    re: /\b(?:this|current) year\b|\bso far this year\b|\byear to date\b|\bytd\b/g,
    read: (_m, now) => make(Date.UTC(new Date(now).getUTCFullYear(), 0, 1), now, 'this year'),
  },
  {
    re: new RegExp(`\\bsince (?:last )?(${WEEKDAY_RE})\\b`, 'g'),
    read: (m, now) => {
      const day = weekdayIndex(m[1]!);
      return make(
        lastWeekday(day, now),
        now,
        `since ${WEEKDAYS[day]![0]!.toUpperCase()}${WEEKDAYS[day]!.slice(1)}`,
      );
    },
  },
  {
    re: new RegExp(`\\b(?:on |last )(${WEEKDAY_RE})\\b`, 'g'),
    read: (m, now) => {
      const day = weekdayIndex(m[1]!);
      let from = lastWeekday(day, now);
      if (from === dayStart(now)) from -= 7 * DAY;
      const name = `${WEEKDAYS[day]![0]!.toUpperCase()}${WEEKDAYS[day]!.slice(1)}`;
      return make(from, from + DAY, `on ${name}`);
    },
  },
  {
    // "in November", "for nov", "during november 2026", "november's usage"; "may" only after a preposition.
    re: new RegExp(`\\b(?:(in|for|during|of|since) )?(${MONTH_RE})(?:'s)?(?: (20\\d\\d))?\\b(?! \\d)`, 'g'),
    read: (m, now) => {
      if (!m[1] && m[2] === 'may') return undefined;
      if (!m[1] && m[2]!.length < 3) return undefined;
      const month = monthIndex(m[2]!);
      const year = m[3] ? Number(m[3]) : undefined;
      const name = `${MONTHS[month]![0]!.toUpperCase()}${MONTHS[month]!.slice(1)}`;
      if (m[1] === 'since') {
        const w = namedMonth(month, now, `since ${name}`, year);
        return make(Date.parse(w.from), now, w.label);
      }
      return namedMonth(month, now, `in ${name}${year ? ` ${year}` : ''}`, year);
    },
  },
];

const HAS_DATE = new RegExp(`\\d{4}-\\d{2}-\\d{2}|\\b(?:${MONTH_RE})\\b|\\d{1,2}/\\d{1,2}`);

/** Windows found in lower-cased text, with the character span each used. */
export function findWindows(text: string, now: Date): FoundWindow[] {
  const t = now.getTime();
  const found: FoundWindow[] = [];
  const taken = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
  // Explicit dates first ("since nov 3", "from nov 1 to nov 15"): chrono-node reads them.
  if (HAS_DATE.test(text)) {
    for (const r of chrono.parse(text, { instant: now, timezone: 'UTC' })) {
      const hasDay = r.start.isCertain('day');
      if (!hasDay) continue;
      const before = text.slice(Math.max(0, r.index - 8), r.index);
      const since = /\b(since|after|from)\s*$/.test(before);
      const from = dayStart(r.start.date().getTime());
      let to: number;
      if (r.end) to = dayStart(r.end.date().getTime()) + DAY;
      else if (since) to = t;
      else to = from + DAY;
      if (from >= t) continue;
      let start = r.index;
      const prefix = /\b(since|after|from|on|between)\s*$/.exec(before);
      if (prefix) start = r.index - (before.length - prefix.index);
      found.push({
        window: make(from, Math.min(to, t), r.end ? `${r.text}` : since ? `since ${r.text}` : `on ${r.text}`),
        start,
        end: r.index + r.text.length,
      });
    }
  }
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      if (taken(m.index, m.index + m[0].length)) continue;
      const window = rule.read(m, t);
      if (window) found.push({ window, start: m.index, end: m.index + m[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
