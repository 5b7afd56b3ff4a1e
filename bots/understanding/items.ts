import { normalizeName } from '../../ledger/catalog/index.js';
import { resolveName } from '../../ledger/pricing.js';
import { matchPhrase } from './names.js';
import { PLACEHOLDER, parseNumber, type Scan, startsMemberName } from './tokens.js';
import type { Vocabulary } from './types.js';

/**
 * Catalog names in a question's words: exact names and aliases (longest first, a model over an
 * operation), the words of a name ("pro mode article", "upscaling"), and small typos of words the
 * corpus never uses otherwise. Then the pairs that are one thing are merged.
 */

const MAX_NAME_WORDS = 5;

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

export function isPlaceholder(w: string): boolean {
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
    // "remove the background": a filler word inside a name.
    const inner = size >= 3 && !INNER_FILLER.has(span[0]!) && !INNER_FILLER.has(span[size - 1]!);
    const bare = inner ? span.filter((w) => !INNER_FILLER.has(w)).join(' ') : text;
    for (const variant of bare === text ? variants(text) : [...variants(text), bare]) {
      const hit = resolveName(vocab.catalog, variant);
      if (hit) return { size, hit };
    }
  }
  return undefined;
}

const INNER_FILLER = new Set(['the', 'a', 'an', 'my', 'our', 'this', 'that']);

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

interface NameWords {
  operation: string;
  model?: string;
  words: Set<string>;
}

const nameWordsCache = new WeakMap<object, NameWords[]>();
const COMPLEXITY_WORDS = new Set(['simple', 'standard', 'complex']);
const NAME_STOP = new Set(['and', 'of', 'the', 'a', 'an', 'with']);

/** The words of every operation and model name: "pro mode article" names Article (Pro Mode). */
function nameWords(vocab: Vocabulary): NameWords[] {
  const cached = nameWordsCache.get(vocab.catalog);
  if (cached) return cached;
  const split = (name: string) =>
    name
      .toLowerCase()
      .split(/[^a-z0-9.]+/)
      .filter((w) => w && !NAME_STOP.has(w));
  const out: NameWords[] = [];
  for (const op of vocab.catalog.operations) {
    out.push({ operation: op.key, words: new Set([op.name, ...op.aliases].flatMap(split)) });
    if (op.rule.type !== 'tier') continue;
    for (const [key, tier] of Object.entries(op.rule.tiers)) {
      out.push({
        operation: op.key,
        model: key,
        words: new Set([tier.name, ...tier.aliases].flatMap(split)),
      });
    }
  }
  nameWordsCache.set(vocab.catalog, out);
  return out;
}

/** Words of one name only, longest span first; a lone word must be long enough to be distinctive. */
function wordsOfNameAt(vocab: Vocabulary, ws: string[], i: number, common: ReadonlySet<string>) {
  for (let size = Math.min(3, ws.length - i); size >= 1; size--) {
    const span = ws.slice(i, i + size);
    if (span.some((w) => isPlaceholder(w) || NAME_STOP.has(w) || parseNumber(w) !== undefined)) continue;
    if (size === 1 && (span[0]!.length < 7 || common.has(span[0]!) || COMPLEXITY_WORDS.has(span[0]!)))
      continue;
    const hits = nameWords(vocab).filter((n) => span.every((w) => n.words.has(w)));
    const distinct = new Set(hits.map((h) => `${h.operation}/${h.model ?? ''}`));
    if (distinct.size === 1) return { size, hit: hits[0]! };
    // Several models of one operation: the operation itself.
    const ops = new Set(hits.map((h) => h.operation));
    if (hits.length > 1 && ops.size === 1 && size > 1)
      return { size, hit: { operation: hits[0]!.operation, words: new Set<string>() } };
  }
  return undefined;
}

function labelOf(vocab: Vocabulary, operation: string, model?: string): string {
  const op = vocab.catalog.operations.find((o) => o.key === operation)!;
  if (model && op.rule.type === 'tier') return op.rule.tiers[model]?.name ?? op.name;
  return op.name;
}

export function findItems(
  vocab: Vocabulary,
  ws: string[],
  common: ReadonlySet<string>,
  out: Scan,
): Set<number> {
  const used = new Set<number>();
  let i = 0;
  while (i < ws.length) {
    let found = exactAt(vocab, ws, i);
    if (!found) {
      const byWords = wordsOfNameAt(vocab, ws, i, common);
      if (byWords)
        found = {
          size: byWords.size,
          hit: {
            operation: byWords.hit.operation,
            params: byWords.hit.model ? { model: byWords.hit.model } : {},
          },
        };
    }
    if (!found) {
      i++;
      continue;
    }
    let end = i + found.size;
    const model = Object.values(found.hit.params)[0];
    // "flux 2 pro images", "tts clips": the noun of what the operation makes belongs to the item.
    if (end < ws.length && !isPlaceholder(ws[end]!) && isUnitOf(vocab, found.hit.operation, ws[end]!)) {
      const next = resolveName(vocab.catalog, ws[end]!);
      if (model || !next || next.operation !== found.hit.operation) end++;
    }
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
      // Short everyday words ("lost", "be") are one edit from short names ("post"): a typo needs a longer word.
      run.some((k) => ws[k]!.length >= 5) || run.some((k) => /^\d/.test(ws[k]!))
        ? matchPhrase(vocab.catalog, phrase)
        : { kind: 'none' as const };
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
      !startsMemberName(vocab, w) &&
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
    // "flux 2 pri images": a (typo-read) model name, then the noun of what it makes.
    if (a.model && !b.model && gap.length === 0 && a.operation === b.operation && b.end - b.start === 1) {
      out.items.splice(k, 2, { ...a, end: b.end, phrase: ws.slice(a.start, b.end).join(' ') });
      k--;
      continue;
    }
    const joiner =
      gap.length <= 1 && gap.every((w) => ['with', 'using', 'via', 'on', 'from', 'by'].includes(w));
    if (!a.model && b.model && a.operation === b.operation && joiner) {
      out.items.splice(k, 2, { ...b, start: a.start, phrase: ws.slice(a.start, b.end).join(' ') });
      k--;
      continue;
    }
    const countAt =
      gap.length === 1 && parseNumber(gap[0]!) !== undefined
        ? a.end
        : gap.length === 2 &&
            ['from', 'of', 'for', 'on'].includes(gap[0]!) &&
            parseNumber(gap[1]!) !== undefined
          ? a.end + 1
          : undefined;
    if (
      !b.model &&
      countAt !== undefined &&
      isUnitOf(vocab, a.operation, ws[b.start]!) &&
      b.end - b.start === 1
    ) {
      out.items.splice(k, 2, { ...a, end: b.end, countAt, phrase: ws.slice(a.start, b.end).join(' ') });
      k--;
      continue;
    }
    // "sdxl cost per image", "upscaling cost per image": the unit after the name, not a second item.
    const before = ws[b.start - 1];
    const perUnit =
      (a.model && !b.model && a.operation === b.operation) || isUnitOf(vocab, a.operation, ws[b.start]!);
    if (perUnit && !b.model && ['per', 'each', 'a', 'an'].includes(before ?? '')) {
      out.items.splice(k + 1, 1);
      k--;
    }
  }
}
