import { normalizeName } from '../../ledger/catalog/index.js';
import { resolveName } from '../../ledger/pricing.js';
import { matchPhrase } from './names.js';
import type { MemberSlot, Vocabulary, WindowSlot } from './types.js';
import { findWindows } from './windows.js';

/**
 * The entity pass: finds what a question names (catalog items, numbers, members, windows,
 * purchase ids) and replaces each with a placeholder word, so the intent classifier learns
 * "how much would NUM ITEM cost" once for every model of every catalog.
 */

export const PLACEHOLDER = {
  item: 'zitem',
  number: 'znum',
  member: 'zmember',
  window: 'zwindow',
  purchase: 'zpurchase',
} as const;

export interface FoundItem {
  /** Token range [start, end) in `words`. */
  start: number;
  end: number;
  operation: string;
  model?: string;
  label: string;
  phrase: string;
  fuzzy: boolean;
  /** A model name or a specific operation, as opposed to a generic word ("post", "question"). */
  strong: boolean;
  /** Where its count is when not right before it ("upscale 3 images"). */
  countAt?: number;
}

export interface FoundNumber {
  index: number;
  value: number;
  raw: string;
}

export interface Scan {
  /** Lower-cased words, placeholders in place of windows, mentions and purchase ids. */
  words: string[];
  /** `words` with items, numbers and member names replaced too: what the classifier reads. */
  masked: string[];
  items: FoundItem[];
  ambiguous: { index: number; phrase: string; candidates: string[] }[];
  numbers: FoundNumber[];
  members: { index: number; member: MemberSlot; raw: string }[];
  windows: { index: number; window: WindowSlot }[];
  purchaseIds: string[];
  /** Mentions of people who are not members of the workspace. */
  strangers: string[];
}

// "one" is read as a quantity only before an item ("one veo video"), never as a stray number.
const NUMBER_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  thousand: 1000,
};

/** Words that name an operation but are everyday English; they never count as "a name ignored". */
const WEAK_NAMES = new Set([
  'question',
  'questions',
  'edit',
  'editing',
  'schedule',
  'publish',
  'post',
  'posts',
  'analysis',
  'strategy',
  'suggestions',
  'brief',
  'meta',
  'clip',
  'song',
  'regenerate',
  'regeneration',
  'keywords',
]);

const MAX_NAME_WORDS = 5;
/** A question is a few dozen words; the rest of a long text is read but not searched for names. */
const MAX_WORDS = 120;

export function parseNumber(word: string): number | undefined {
  const w = word.replace(/,(?=\d{3}\b)/g, '');
  if (/^\d{1,12}$/.test(w)) return Number(w);
  const k = /^(\d{1,6}(?:\.\d{1,3})?)k$/.exec(w);
  if (k) return Math.round(Number(k[1]) * 1000);
  return NUMBER_WORDS[w];
}

const PURCHASE_ID = /\bpurchase-[A-Za-z0-9_-]{1,120}/g;
const MENTION = /<@[!&]?([A-Za-z0-9]{1,40})(?:\|[^>]{0,200})?>/g;

function memberByMention(vocab: Vocabulary, id: string) {
  return vocab.members.find((m) => m.slackUserId === id || m.discordUserId === id || m.id === id);
}

/** Splits chat text into words: mentions, ids and windows become placeholders first. */
function words(vocab: Vocabulary, raw: string, now: Date, out: Scan, mentioned: MemberSlot[]): string[] {
  let text = raw.replace(PURCHASE_ID, (id) => {
    out.purchaseIds.push(id);
    return ` ${PLACEHOLDER.purchase} `;
  });
  let first = true;
  text = text.replace(MENTION, (whole, id: string, offset: number) => {
    const leading = first && raw.slice(0, offset).trim() === '';
    first = false;
    const m = memberByMention(vocab, id);
    if (m) {
      mentioned.push({ id: m.id, name: m.name });
      return ` ${PLACEHOLDER.member} `;
    }
    // A leading mention is the bot being addressed ("@credits how many left?").
    if (!leading) out.strangers.push(whole);
    return ' ';
  });
  text = text
    .replace(/<#[A-Za-z0-9]{1,40}(?:\|[^>]{0,200})?>/g, ' ')
    .replace(/:[a-z0-9_+-]{1,60}:/g, ' ')
    .replace(/[“”]/g, '"')
    .replace(/[‘’`]/g, "'")
    .toLowerCase();
  const windows = findWindows(text, now);
  for (const w of [...windows].reverse()) {
    text = `${text.slice(0, w.start)} ${PLACEHOLDER.window}${windows.indexOf(w)} ${text.slice(w.end)}`;
  }
  const list = text
    .replace(/(\d)-(?=\p{L})/gu, '$1 ')
    .replace(/[^\p{L}\p{N}\s.,'%$×@+-]/gu, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^['".,+-]+|['".,:;!?-]+$/g, '').replace(/'s$/, ''))
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  for (let i = 0; i < list.length; i++) {
    const w = /^zwindow(\d+)$/.exec(list[i]!);
    if (w) {
      out.windows.push({ index: i, window: windows[Number(w[1])]!.window });
      list[i] = PLACEHOLDER.window;
    }
  }
  return list;
}

function memberByName(vocab: Vocabulary, word: string): MemberSlot | undefined {
  const w = word.replace(/^@/, '');
  for (const m of vocab.members) {
    const first = m.name.toLowerCase().split(/\s+/)[0];
    if (w === first || w === m.id.toLowerCase()) return { id: m.id, name: m.name };
  }
  return undefined;
}

function isPlaceholder(w: string): boolean {
  return w.startsWith('z') && (Object.values(PLACEHOLDER) as string[]).includes(w);
}

/** The longest span of words starting at `i` that the catalog names exactly. */
function exactAt(vocab: Vocabulary, ws: string[], i: number) {
  for (let size = Math.min(MAX_NAME_WORDS, ws.length - i); size >= 1; size--) {
    const span = ws.slice(i, i + size);
    if (span.some(isPlaceholder)) continue;
    if (size === 1 && parseNumber(span[0]!) !== undefined) continue;
    const text = span.join(' ');
    if (normalizeName(text).length < 2) continue;
    for (const variant of variants(text)) {
      const hit = resolveName(vocab.catalog, variant);
      if (hit) return { size, hit };
    }
  }
  return undefined;
}

/** "upscaling" → "upscale", "analyses" → "analysis": word forms the catalog's names don't list. */
function variants(text: string): string[] {
  const out = [text];
  if (text.endsWith('ing') && text.length > 6) out.push(`${text.slice(0, -3)}e`, text.slice(0, -3));
  if (text.endsWith('ses')) out.push(`${text.slice(0, -3)}sis`);
  if (text.endsWith('ed') && text.length > 5) out.push(text.slice(0, -1), text.slice(0, -2));
  return out;
}

function unitOf(vocab: Vocabulary, operation: string): string | undefined {
  const op = vocab.catalog.operations.find((o) => o.key === operation);
  return op && 'unit' in op.rule ? op.rule.unit : undefined;
}

/** True when `word` is what the operation counts ("clips" of speech, "images" of upscaling). */
function isUnitOf(vocab: Vocabulary, operation: string, word: string): boolean {
  const unit = unitOf(vocab, operation);
  if (unit && (word === unit || word === `${unit}s`)) return true;
  const next = resolveName(vocab.catalog, word);
  return next !== undefined && next.operation === operation && Object.keys(next.params).length === 0;
}

function labelOf(vocab: Vocabulary, operation: string, model?: string): string {
  const op = vocab.catalog.operations.find((o) => o.key === operation)!;
  if (model && op.rule.type === 'tier') return op.rule.tiers[model]?.name ?? op.name;
  return op.name;
}

function findItems(vocab: Vocabulary, ws: string[], common: ReadonlySet<string>, out: Scan): Set<number> {
  const used = new Set<number>();
  let i = 0;
  while (i < ws.length) {
    const found = exactAt(vocab, ws, i);
    if (!found) {
      i++;
      continue;
    }
    let end = i + found.size;
    const model = Object.values(found.hit.params)[0];
    // "flux 2 pro images", "speech hd clips": the operation's own noun after a model name belongs to the item.
    if (
      model &&
      end < ws.length &&
      !isPlaceholder(ws[end]!) &&
      isUnitOf(vocab, found.hit.operation, ws[end]!)
    )
      end++;
    const phrase = ws.slice(i, end).join(' ');
    out.items.push({
      start: i,
      end,
      operation: found.hit.operation,
      ...(model ? { model } : {}),
      label: labelOf(vocab, found.hit.operation, model),
      phrase,
      fuzzy: false,
      strong: !(found.size === 1 && WEAK_NAMES.has(ws[i]!)),
    });
    for (let j = i; j < end; j++) used.add(j);
    i = end;
  }
  // Typos: runs of words the corpus never uses otherwise, matched within a small edit distance.
  let run: number[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const phrase = run.map((k) => ws[k]!).join(' ');
    const m =
      normalizeName(phrase).length >= 4 ? matchPhrase(vocab.catalog, phrase) : { kind: 'none' as const };
    if (m.kind === 'match') {
      const model = Object.values(m.resolved.params)[0];
      out.items.push({
        start: run[0]!,
        end: run[run.length - 1]! + 1,
        operation: m.resolved.operation,
        ...(model ? { model } : {}),
        label: m.resolved.label,
        phrase,
        fuzzy: m.fuzzy,
        strong: true,
      });
      for (const k of run) used.add(k);
    } else if (m.kind === 'ambiguous') {
      out.ambiguous.push({ index: run[0]!, phrase, candidates: m.candidates });
      for (const k of run) used.add(k);
    }
    run = [];
  };
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k]!;
    const candidate =
      !used.has(k) &&
      !isPlaceholder(w) &&
      !common.has(w) &&
      parseNumber(w) === undefined &&
      memberByName(vocab, w) === undefined &&
      /\p{L}/u.test(w);
    const modelNumber = run.length > 0 && /^\d{1,2}(\.\d)?$/.test(w);
    if ((candidate || modelNumber) && run.length < MAX_NAME_WORDS) run.push(k);
    else flush();
  }
  flush();
  out.items.sort((a, b) => a.start - b.start);
  mergeItems(vocab, ws, out);
  return used;
}

/**
 * Two names that are one thing: "2 images with nano banana" (an operation, then its model) and
 * "upscale 3 images" (a tool, then a number of what it works on).
 */
function mergeItems(vocab: Vocabulary, ws: string[], out: Scan): void {
  for (let k = 0; k + 1 < out.items.length; k++) {
    const a = out.items[k]!;
    const b = out.items[k + 1]!;
    const gap = ws.slice(a.end, b.start);
    if (
      !a.model &&
      b.model &&
      a.operation === b.operation &&
      gap.every((w) => ['with', 'using', 'via', 'on', 'from', 'by'].includes(w)) &&
      gap.length <= 1
    ) {
      out.items.splice(k, 2, { ...b, start: a.start, phrase: ws.slice(a.start, b.end).join(' ') });
      k--;
      continue;
    }
    const counted = gap.length === 1 && parseNumber(gap[0]!) !== undefined;
    if (!b.model && counted && isUnitOf(vocab, a.operation, ws[b.start]!) && b.end - b.start === 1) {
      out.items.splice(k, 2, {
        ...a,
        end: b.end,
        countAt: a.end,
        phrase: ws.slice(a.start, b.end).join(' '),
      });
      k--;
    }
  }
}

/** Scans a question against the workspace's vocabulary. `common` holds the corpus's everyday words. */
export function scan(vocab: Vocabulary, raw: string, now: Date, common: ReadonlySet<string>): Scan {
  const out: Scan = {
    words: [],
    masked: [],
    items: [],
    ambiguous: [],
    numbers: [],
    members: [],
    windows: [],
    purchaseIds: [],
    strangers: [],
  };
  const mentioned: MemberSlot[] = [];
  const ws = words(vocab, raw, now, out, mentioned);
  out.words = ws;
  const used = findItems(vocab, ws, common, out);
  const masked = [...ws];
  for (const item of out.items) {
    for (let j = item.start; j < item.end; j++) masked[j] = j === item.start ? PLACEHOLDER.item : '';
  }
  for (const a of out.ambiguous) masked[a.index] = PLACEHOLDER.item;
  let mention = 0;
  for (let i = 0; i < ws.length; i++) {
    if (used.has(i)) continue;
    const w = ws[i]!;
    if (w === PLACEHOLDER.member) {
      const member = mentioned[mention++];
      if (member) out.members.push({ index: i, member, raw: member.name });
      continue;
    }
    const value = parseNumber(w);
    if (value !== undefined) {
      out.numbers.push({ index: i, value, raw: w });
      masked[i] = PLACEHOLDER.number;
      continue;
    }
    const member = memberByName(vocab, w);
    if (member) {
      out.members.push({ index: i, member, raw: w });
      masked[i] = PLACEHOLDER.member;
    }
  }
  out.masked = masked.filter(Boolean);
  return out;
}
