import { normalizeName } from '../../ledger/catalog/index.js';
import type { Catalog, CreditPackage } from '../../ledger/catalog/schema.js';
import { resolveName } from '../../ledger/pricing.js';
import { QUANTITY_WORDS } from './number-words.js';

/** Optimal-string-alignment Damerau–Levenshtein distance: a swap of two neighbours costs 1. */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * `editDistance(a, b)` when it is at most `max`, else `max + 1`: three rolling rows, and a stop
 * as soon as a whole row exceeds `max` (the fuzzy search only asks about 1 or 2 typos).
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const cols = b.length + 1;
  let before = new Int32Array(cols);
  let prev = new Int32Array(cols);
  let row = new Int32Array(cols);
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      row[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(prev[b.length]!, max + 1);
}

/** How many typos a name of this length tolerates: none for very short names. */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

export interface Resolved {
  operation: string;
  params: Record<string, string>;
  /** The catalog's display name of what matched (tier or operation). */
  label: string;
}

export type PhraseMatch =
  | { kind: 'match'; resolved: Resolved; fuzzy: boolean }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'none' };

export interface Target {
  norm: string;
  resolved: Resolved;
  /** Tier names are more specific than operation names. */
  tier: boolean;
}

const targetCache = new WeakMap<Catalog, Target[]>();

export function targets(catalog: Catalog): Target[] {
  const cached = targetCache.get(catalog);
  if (cached) return cached;
  const out: Target[] = [];
  for (const op of catalog.operations) {
    for (const name of [op.key, op.name, ...op.aliases]) {
      out.push({
        norm: normalizeName(name),
        resolved: { operation: op.key, params: {}, label: op.name },
        tier: false,
      });
    }
    if (op.rule.type !== 'tier') continue;
    for (const [key, tier] of Object.entries(op.rule.tiers)) {
      for (const name of [key, tier.name, ...tier.aliases]) {
        out.push({
          norm: normalizeName(name),
          resolved: { operation: op.key, params: { [op.rule.param]: key }, label: tier.name },
          tier: true,
        });
      }
    }
  }
  const filtered = out.filter((t) => t.norm.length > 0);
  targetCache.set(catalog, filtered);
  return filtered;
}

function labelOf(catalog: Catalog, hit: { operation: string; params: Record<string, string> }): string {
  const op = catalog.operations.find((o) => o.key === hit.operation)!;
  if (op.rule.type === 'tier') {
    const tierKey = hit.params[op.rule.param];
    if (tierKey) return op.rule.tiers[tierKey]?.name ?? op.name;
  }
  return op.name;
}

/**
 * A catalog name is a few words; a longer phrase is searched in its first words only, so the
 * fuzzy search (spans x names x edit distance) stays bounded on any input.
 */
export const MAX_PHRASE_WORDS = 12;

const FILLER = new Set(['of', 'the', 'with', 'using', 'via', 'on', 'in', 'by', 'model', 'a', 'an', 'some']);

/**
 * Finds what a phrase such as "veo 3.1 videos", "Flux-2 PRO", "nano bananna images" names in the
 * catalog. Exact names win (the longest span of words that the catalog knows, a model name over an
 * operation name); otherwise small typos are tolerated, and a tie between different things is
 * reported as ambiguous rather than guessed.
 */
export function matchPhrase(catalog: Catalog, phrase: string): PhraseMatch {
  const whole = resolveName(catalog, phrase);
  if (whole) return { kind: 'match', resolved: { ...whole, label: labelOf(catalog, whole) }, fuzzy: false };
  const words = phrase
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((w) => w && !FILLER.has(w))
    .slice(0, MAX_PHRASE_WORDS);
  if (words.length === 0) return { kind: 'none' };
  const spans: { text: string; size: number }[] = [];
  for (let size = Math.min(words.length, 5); size >= 1; size--) {
    for (let i = 0; i + size <= words.length; i++)
      spans.push({ text: words.slice(i, i + size).join(' '), size });
  }
  // Exact: longest span first; among equal sizes prefer a model (tier) name.
  let exact: { resolved: Resolved; size: number; tier: boolean } | undefined;
  for (const span of spans) {
    const hit = resolveName(catalog, span.text);
    if (!hit) continue;
    const tier = Object.keys(hit.params).length > 0;
    if (!exact || span.size > exact.size || (span.size === exact.size && tier && !exact.tier)) {
      exact = { resolved: { ...hit, label: labelOf(catalog, hit) }, size: span.size, tier };
    }
  }
  if (exact?.tier) return { kind: 'match', resolved: exact.resolved, fuzzy: false };
  // Fuzzy: the smallest edit distance within the typo budget, over every span and every name.
  let best: { distance: number; size: number; hits: Map<string, Target> } | undefined;
  for (const span of spans) {
    const norm = normalizeName(span.text);
    const budget = typoBudget(norm.length);
    if (budget === 0) continue;
    for (const target of targets(catalog)) {
      if (Math.abs(target.norm.length - norm.length) > budget) continue;
      const distance = editDistanceWithin(norm, target.norm, budget);
      if (distance === 0 || distance > budget) continue;
      if (exact && !target.tier) continue;
      const key = `${target.resolved.operation}:${JSON.stringify(target.resolved.params)}`;
      if (!best || distance < best.distance || (distance === best.distance && span.size > best.size)) {
        best = { distance, size: span.size, hits: new Map([[key, target]]) };
      } else if (distance === best.distance && span.size === best.size) {
        best.hits.set(key, target);
      }
    }
  }
  if (best) {
    const hits = [...best.hits.values()];
    const tiers = hits.filter((h) => h.tier);
    const pool = tiers.length > 0 ? tiers : hits;
    if (pool.length === 1) return { kind: 'match', resolved: pool[0]!.resolved, fuzzy: true };
    return { kind: 'ambiguous', candidates: [...new Set(pool.map((h) => h.resolved.label))] };
  }
  if (exact) return { kind: 'match', resolved: exact.resolved, fuzzy: false };
  return { kind: 'none' };
}

export type PackageMatch =
  | { kind: 'match'; package: CreditPackage; fuzzy: boolean }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'none' };

/** A credit package by key or name, ignoring case and punctuation, tolerating a typo. */
export function matchPackage(catalog: Catalog, phrase: string): PackageMatch {
  const norm = normalizeName(phrase.replace(/\b(package|pack|credits?|the|a)\b/gi, ''));
  if (!norm) return { kind: 'none' };
  const exact = catalog.packages.find((p) => normalizeName(p.key) === norm || normalizeName(p.name) === norm);
  if (exact) return { kind: 'match', package: exact, fuzzy: false };
  const budget = typoBudget(norm.length);
  const scored = catalog.packages
    .map((p) => ({
      p,
      distance: Math.min(editDistance(norm, normalizeName(p.key)), editDistance(norm, normalizeName(p.name))),
    }))
    .filter((s) => s.distance <= budget)
    .sort((a, b) => a.distance - b.distance);
  if (scored.length === 0) return { kind: 'none' };
  const top = scored.filter((s) => s.distance === scored[0]!.distance);
  if (top.length > 1) return { kind: 'ambiguous', candidates: top.map((s) => s.p.name) };
  return { kind: 'match', package: top[0]!.p, fuzzy: true };
}

/** "12", "1,000", "twenty", "a" → a number; anything else → undefined. */
export function parseCount(word: string): number | undefined {
  const w = word.toLowerCase().replace(/,/g, '');
  if (/^\d+$/.test(w)) return Number(w);
  return QUANTITY_WORDS[w];
}
