import { NUMBER_WORDS } from './number-words.js';
import type { MemberSlot, Vocabulary, WindowSlot } from './types.js';

/** What the scan finds, shared by the scan and the catalog-name finder. */

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
  /** Mentions of people who are not members, and first names several members share. */
  strangers: string[];
}

export function parseNumber(word: string): number | undefined {
  const w = word.replace(/,(?=\d{3}\b)/g, '');
  if (/^\d{1,12}$/.test(w)) return Number(w);
  const k = /^(\d{1,6}(?:\.\d{1,3})?)k$/.exec(w);
  if (k) return Math.round(Number(k[1]) * 1000);
  return NUMBER_WORDS[w];
}

/** Whether a word is a member's id or the first word of someone's name (never a catalog typo). */
export function startsMemberName(vocab: Vocabulary, word: string): boolean {
  const w = word.replace(/^@/, '');
  return vocab.members.some((m) => w === m.id.toLowerCase() || m.name.toLowerCase().split(/\s+/)[0] === w);
}

/**
 * The member a word names: their id, or the first word of their name when no one else's name
 * starts with it. Where several do ("Sam Lee", "Sam Ortiz"), the next word must tell them apart
 * (`span` 2), else nobody is read: a wrong member would be a confident wrong answer.
 */
export function memberByName(
  vocab: Vocabulary,
  word: string,
  next?: string,
): (MemberSlot & { span: 1 | 2 }) | undefined {
  const w = word.replace(/^@/, '');
  const byId = vocab.members.find((m) => w === m.id.toLowerCase());
  if (byId) return { id: byId.id, name: byId.name, span: 1 };
  const named = vocab.members.filter((m) => m.name.toLowerCase().split(/\s+/)[0] === w);
  if (named.length === 1) return { id: named[0]!.id, name: named[0]!.name, span: 1 };
  const second = named.filter((m) => next && m.name.toLowerCase().split(/\s+/)[1] === next);
  if (second.length === 1) return { id: second[0]!.id, name: second[0]!.name, span: 2 };
  return undefined;
}
