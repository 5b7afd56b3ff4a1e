import type { Catalog } from '../../ledger/catalog/schema.js';
import type { CampaignRequest } from '../../ledger/estimate.js';
import { matchPhrase, parseCount, type Resolved } from './match.js';

/** What a line of chat asks for, before any database work. */
export type Parsed =
  | { intent: 'balance'; focus?: 'expiry' }
  | { intent: 'renewal' }
  | { intent: 'runway' }
  | { intent: 'why'; claimed?: number }
  | { intent: 'estimate'; items: ItemsParse; afford: boolean }
  | { intent: 'campaign'; campaign: CampaignRequest; assumptions: string[]; afford: boolean }
  | { intent: 'history'; operation?: string; unknownOperation?: string; limit: number }
  | { intent: 'usage'; by?: 'operation' | 'member' }
  | { intent: 'buy'; phrase: string }
  | { intent: 'alerts'; set?: { low?: number; critical?: number }; invalid?: string }
  | { intent: 'pending' }
  | { intent: 'audit'; about?: 'alerts' | 'auto_top_up' | 'keys' | 'members' | 'purchases' }
  | { intent: 'decide'; decision: 'approve' | 'reject'; purchaseId: string | null }
  | { intent: 'web' }
  | { intent: 'help'; reason?: string };

export interface ItemsParse {
  items: { quantity: number; resolved: Resolved; fuzzy: boolean; phrase: string; complexity?: string }[];
  /** Phrases that named nothing in the catalog. */
  unknown: string[];
  /** Phrases that could be more than one thing, with the candidates. */
  ambiguous: { phrase: string; candidates: string[] }[];
}

export const SUBCOMMANDS = [
  'balance',
  'estimate',
  'history',
  'usage',
  'buy',
  'alerts',
  'help',
  'why',
  'pending',
  'approve',
  'reject',
  'web',
] as const;

const PURCHASE_ID = /^purchase-[A-Za-z0-9_-]{1,120}$/;

/** Strips chat decorations: user mentions, channel links, emoji shortcodes, extra spaces. */
export function cleanText(text: string): string {
  return text
    .replace(/<@[!&]?[A-Za-z0-9]{1,40}(\|[^>]{0,200})?>/g, ' ')
    .replace(/<#[A-Za-z0-9]{1,40}(\|[^>]{0,200})?>/g, ' ')
    .replace(/:[a-z0-9_+-]{1,60}:/g, ' ')
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseCommand(
  catalog: Catalog,
  command: string | undefined,
  args: string | undefined,
): Parsed {
  const rest = cleanText(args ?? '');
  const sub = (command ?? '').trim().toLowerCase();
  switch (sub) {
    case '':
      return rest ? parseText(catalog, rest) : { intent: 'balance' };
    case 'balance':
      return rest ? parseText(catalog, rest) : { intent: 'balance' };
    case 'estimate': {
      if (!rest)
        return { intent: 'help', reason: 'Tell me what to estimate, e.g. `estimate 3 veo 3.1 videos`.' };
      if (/\bcampaign\b/i.test(rest)) return campaign(rest);
      return { intent: 'estimate', items: parseItems(catalog, rest), afford: false };
    }
    case 'history':
      return history(catalog, rest);
    case 'usage':
      return usage(rest);
    case 'buy':
      return { intent: 'buy', phrase: rest };
    case 'alerts':
      return alerts(rest);
    case 'why':
      return { intent: 'why', claimed: claimedBalance(rest) };
    case 'help':
      return { intent: 'help' };
    case 'pending':
      return { intent: 'pending' };
    case 'web':
      return { intent: 'web' };
    case 'approve':
    case 'reject': {
      // The purchase id as written (ids are case-sensitive), e.g. `approve purchase-demo-1a2b3c4d5e`.
      const id = (args ?? '').trim().split(/\s+/)[0] ?? '';
      return { intent: 'decide', decision: sub, purchaseId: PURCHASE_ID.test(id) ? id : null };
    }
    default:
      // "/credits how many left?" — the first word was not a subcommand: read the whole line.
      return parseText(catalog, `${sub} ${rest}`.trim());
  }
}

/** Reads a plain question. Order matters: the most specific patterns first. */
export function parseText(catalog: Catalog, raw: string): Parsed {
  const text = cleanText(raw);
  const t = trimTrailingPunctuation(text.toLowerCase());
  if (t === '' || /^(help|\?|what can you do|commands|how does this work)\b/.test(t))
    return { intent: 'help' };
  const first = t.split(' ')[0] ?? '';
  if ((SUBCOMMANDS as readonly string[]).includes(first) && first !== 'help') {
    return parseCommand(catalog, first, text.slice(first.length));
  }
  if (/\b(sign[- ]?in link|log[- ]?in link|web console)\b/.test(t)) return { intent: 'web' };
  if (/\b(pending|awaiting approval|waiting for approval|to approve)\b/.test(t)) return { intent: 'pending' };
  if (/\bwho (changed|set|made|created|revoked|approved|rejected|added)\b|\baudit\b/.test(t)) return audit(t);
  if (/\b(buy|purchase|order|top[ -]?up)\b/.test(t)) {
    const m = /\b(?:buy|purchase|order|top[ -]?up(?: with)?)\b\s*(?:us\s+)?(?:the\s+|a\s+|an\s+)?(.*)$/.exec(
      t,
    );
    return { intent: 'buy', phrase: (m?.[1] ?? '').replace(/\b(package|pack|please)\b/g, '').trim() };
  }
  if (/\b(alerts?|thresholds?)\b/.test(t)) return alerts(t);
  if (/\bwhy\b/.test(t) || /\bexplain\b/.test(t) || /\bhow did we get\b/.test(t)) {
    return { intent: 'why', claimed: claimedBalance(t) };
  }
  if (/\b(reset|renew|renews|renewal|refill|replenish|next cycle|top up date|billing date)\b/.test(t)) {
    return { intent: 'renewal' };
  }
  if (/\b(run out|runway|last us|how long|burn|pace)\b/.test(t)) return { intent: 'runway' };
  if (/\b(history|transactions|entries|recent|what happened|ledger|journal)\b/.test(t))
    return history(catalog, t);
  if (
    /\b(usage|who (used|spent|is using)|spent by|used by|by member|by operation|top users|spending)\b/.test(t)
  ) {
    return usage(t);
  }
  const afford = /\b(enough|afford|can we|could we|will we|do we have)\b/.test(t);
  if (/\bcampaign\b/.test(t)) return campaign(t, afford);
  const asksCost =
    /\b(cost|costs|estimate|how much|price|pricing|how many credits (would|does|do|for))\b/.test(t);
  if (asksCost || afford) {
    const body = stripQuestion(t);
    const items = parseItems(catalog, body);
    if (items.items.length > 0 || items.ambiguous.length > 0 || items.unknown.length > 0) {
      return { intent: 'estimate', items, afford };
    }
  }
  if (/\bexpir/.test(t)) return { intent: 'balance', focus: 'expiry' };
  if (
    /\b(balance|credits? (left|remaining)|how many credits|how much credit|left|remaining|do we have)\b/.test(
      t,
    )
  ) {
    return { intent: 'balance' };
  }
  // A bare list of things ("5 flux 2 pro images") is an estimate.
  const items = parseItems(catalog, t);
  if (items.items.length > 0 && items.unknown.length === 0)
    return { intent: 'estimate', items, afford: false };
  return { intent: 'help', reason: `I didn't understand "${text.slice(0, 80)}".` };
}

/** "how many left?!" → "how many left", without a regex that retries at every position. */
function trimTrailingPunctuation(t: string): string {
  let end = t.length;
  while (end > 0 && '?!.'.includes(t[end - 1]!)) end--;
  return t.slice(0, end);
}

function stripQuestion(t: string): string {
  return t
    .replace(
      /\b(how much (would|will|does|do|is)?|what (would|will|does|do)|would|will|does|do|it|they|cost(s)?|estimate( for| of)?|price( of| for)?|pricing( for| of)?|how many credits( would| does| do| for)?|we|us|have|enough|for|afford|can|could|to|make|generate|create|run|produce|need|be|is|are|the|what|about|please)\b/g,
      ' ',
    )
    .replace(/\s+/g, ' ')
    .trim();
}

/** Items one estimate reads; more are reported, not priced (keeps an answer's work bounded). */
export const MAX_ITEMS = 25;

const COMPLEXITY = /\b(simple|standard|complex)\b/;

/** "3 veo 3.1 videos and 20 flux 2 dev images" → items; unknown and ambiguous phrases reported. */
export function parseItems(catalog: Catalog, text: string): ItemsParse {
  const out: ItemsParse = { items: [], unknown: [], ambiguous: [] };
  const chunks = text
    .toLowerCase()
    .replace(/[?!]/g, ' ')
    .split(/(?:,|;|\+|\band\b|\bplus\b|&)/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (chunks.length > MAX_ITEMS) {
    out.unknown.push(`${chunks.length - MAX_ITEMS} more items (I estimate at most ${MAX_ITEMS} at a time)`);
    chunks.length = MAX_ITEMS;
  }
  for (const chunk of chunks) {
    const words = chunk.split(' ');
    let quantity = 1;
    let start = 0;
    const first = words[0] ?? '';
    const x = /^(\d+)x$/.exec(first);
    const count = x ? Number(x[1]) : parseCount(first);
    if (count !== undefined) {
      quantity = count;
      start = 1;
      if (words[1] === 'x' || words[1] === '×') start = 2;
    }
    let phrase = words.slice(start).join(' ');
    const complexity = COMPLEXITY.exec(phrase)?.[1];
    if (complexity) phrase = phrase.replace(COMPLEXITY, ' ').trim();
    if (!phrase) continue;
    const m = matchPhrase(catalog, phrase);
    if (m.kind === 'match') {
      out.items.push({
        quantity,
        resolved: m.resolved,
        fuzzy: m.fuzzy,
        phrase,
        ...(complexity ? { complexity } : {}),
      });
    } else if (m.kind === 'ambiguous') out.ambiguous.push({ phrase, candidates: m.candidates });
    else out.unknown.push(phrase);
  }
  return out;
}

function countBefore(t: string, unit: RegExp): number | undefined {
  const m = new RegExp(`\\b([\\w,]{1,20})[ -]{1,3}${unit.source}`).exec(t);
  return m ? parseCount(m[1]!) : undefined;
}

/** "a 2-week campaign on 3 platforms, 5 posts a week" → the campaign estimate's inputs, with stated assumptions. */
function campaign(t: string, afford = false): Parsed {
  const text = t.toLowerCase();
  const assumptions: string[] = [];
  let weeks = countBefore(text, /weeks?\b/);
  if (weeks === undefined) {
    const months = countBefore(text, /months?\b/);
    if (months !== undefined) weeks = months * 4;
    else if (/\bmonth\b/.test(text)) weeks = 4;
    else if (/\bweek\b/.test(text)) weeks = 1;
  }
  if (weeks === undefined) {
    weeks = 4;
    assumptions.push('4 weeks');
  }
  let platforms = countBefore(text, /platforms?\b/);
  if (platforms === undefined) {
    const named = [
      'linkedin',
      'twitter',
      'x',
      'instagram',
      'facebook',
      'tiktok',
      'youtube',
      'threads',
      'pinterest',
    ].filter((p) => new RegExp(`\\b${p}\\b`).test(text)).length;
    if (named > 0) platforms = named;
    else if (/\bmulti[- ]?platform|cross[- ]?platform|all platforms\b/.test(text)) {
      platforms = 3;
      assumptions.push('3 platforms');
    } else {
      platforms = 1;
      assumptions.push('1 platform');
    }
  }
  let postsPerWeek: number | undefined;
  const perWeek = /\b([\w,]{1,20}) (?:posts? )?(?:a|per|each|every) week\b/.exec(text);
  const perDay = /\b([\w,]{1,20}) (?:posts? )?(?:a|per|each|every) day\b|\bdaily\b/.exec(text);
  if (perWeek) postsPerWeek = parseCount(perWeek[1]!);
  else if (perDay) postsPerWeek = perDay[1] ? (parseCount(perDay[1]) ?? 1) * 7 : 7;
  if (postsPerWeek === undefined) {
    postsPerWeek = 5;
    assumptions.push('5 posts a week');
  }
  const complexity = COMPLEXITY.exec(text)?.[1];
  return {
    intent: 'campaign',
    campaign: { platforms, weeks, postsPerWeek, ...(complexity ? { complexity } : {}) },
    assumptions,
    afford,
  };
}

function history(catalog: Catalog, t: string): Parsed {
  const limitMatch = /\b(?:last|latest|recent)\s+(\d+)\b/.exec(t);
  const limit = Math.min(Math.max(limitMatch ? Number(limitMatch[1]) : 10, 1), 25);
  const rest = t
    .replace(
      /\b(history|transactions?|entries|entry|recent|last|latest|show|me|our|the|what happened|ledger|journal|of|for|with|on|\d+)\b/g,
      ' ',
    )
    .replace(/\s+/g, ' ')
    .trim();
  if (!rest) return { intent: 'history', limit };
  const m = matchPhrase(catalog, rest);
  if (m.kind === 'match') return { intent: 'history', operation: m.resolved.operation, limit };
  return { intent: 'history', unknownOperation: rest, limit };
}

function alerts(t: string): Parsed {
  const text = t.toLowerCase();
  const low = /\blow\b\D{0,12}(\d[\d,]*)/.exec(text);
  const critical = /\bcritical\b\D{0,12}(\d[\d,]*)/.exec(text);
  const wantsSet = /\b(set|change|update|make)\b/.test(text) || low !== null || critical !== null;
  if (!wantsSet) return { intent: 'alerts' };
  const set: { low?: number; critical?: number } = {};
  if (low) set.low = Number(low[1]!.replace(/,/g, ''));
  if (critical) set.critical = Number(critical[1]!.replace(/,/g, ''));
  if (set.low === undefined && set.critical === undefined) {
    return {
      intent: 'alerts',
      invalid: 'Say which threshold and the new value, e.g. `alerts low 200 critical 20`.',
    };
  }
  return { intent: 'alerts', set };
}

function claimedBalance(t: string): number | undefined {
  const m = /\b(\d[\d,]*)\b/.exec(t);
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

function audit(t: string): Parsed {
  const about = /\balert|threshold/.test(t)
    ? 'alerts'
    : /\btop[ -]?up\b/.test(t)
      ? 'auto_top_up'
      : /\bkeys?\b/.test(t)
        ? 'keys'
        : /\b(member|role)s?\b/.test(t)
          ? 'members'
          : /\b(purchase|approv|reject)/.test(t)
            ? 'purchases'
            : undefined;
  return { intent: 'audit', ...(about ? { about } : {}) };
}

// ---- usage: which way the chart is stacked (issue 13, charts)

/** `usage by member` (or "by user", "per person", "who") stacks the chart by member. */
function usage(text: string): Parsed {
  const byMember = /\b(by|per) (member|user|person|people|actor)s?\b|\bwho\b/i.test(text);
  return byMember ? { intent: 'usage', by: 'member' } : { intent: 'usage' };
}
