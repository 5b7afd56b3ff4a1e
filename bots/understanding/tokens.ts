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

export function parseNumber(word: string): number | undefined {
  const w = word.replace(/,(?=\d{3}\b)/g, '');
  if (/^\d{1,12}$/.test(w)) return Number(w);
  const k = /^(\d{1,6}(?:\.\d{1,3})?)k$/.exec(w);
  if (k) return Math.round(Number(k[1]) * 1000);
  return NUMBER_WORDS[w];
}

export function memberByName(vocab: Vocabulary, word: string): MemberSlot | undefined {
  const w = word.replace(/^@/, '');
  for (const m of vocab.members) {
    const first = m.name.toLowerCase().split(/\s+/)[0];
    if (w === first || w === m.id.toLowerCase()) return { id: m.id, name: m.name };
  }
  return undefined;
}
