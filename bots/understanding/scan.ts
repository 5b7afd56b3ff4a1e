import { findItems } from './items.js';
import {
  type FoundItem,
  type FoundNumber,
  memberByName,
  PLACEHOLDER,
  parseNumber,
  type Scan,
  startsMemberName,
} from './tokens.js';

export { type FoundItem, type FoundNumber, memberByName, PLACEHOLDER, parseNumber, type Scan };

import type { MemberSlot, Vocabulary } from './types.js';
import { findWindows } from './windows.js';

/**
 * The entity pass: finds what a question names (catalog items, numbers, members, windows,
 * purchase ids) and replaces each with a placeholder word, so the intent classifier learns
 * "how much would NUM ITEM cost" once for every model of every catalog.
 */

/** Chat shorthand and common misspellings, read as the words they stand for. */
const SHORTHAND: Record<string, string> = {
  r: 'are',
  u: 'you',
  ur: 'your',
  y: 'why',
  b4: 'before',
  rn: 'now',
  pls: 'please',
  plz: 'please',
  enuf: 'enough',
  wat: 'what',
  wats: 'what is',
  whats: 'what is',
  "what's": 'what is',
  whos: 'who is',
  "who's": 'who is',
  wheres: 'where is',
  whens: 'when is',
  gonna: 'going to',
  wanna: 'want to',
  thx: 'thanks',
  tnx: 'thanks',
  ty: 'thanks',
  helo: 'hello',
  hallo: 'hello',
  bal: 'balance',
  cr: 'credits',
  creds: 'credits',
  pic: 'image',
  pics: 'images',
  photo: 'image',
  photos: 'images',
  vid: 'video',
  vids: 'videos',
  im: "i'm",
  cant: "can't",
  dont: "don't",
  didnt: "didn't",
  bg: 'background',
};

/** A question is a few dozen words; the rest of a long text is read but not searched for names. */
const MAX_WORDS = 120;

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
    .flatMap((w) => (Object.hasOwn(SHORTHAND, w) ? SHORTHAND[w]! : w).split(' '))
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
    // "usage by member": a word after by/per/each is a grouping, even where a member is called that.
    const found = ['by', 'per', 'each'].includes(ws[i - 1] ?? '')
      ? undefined
      : memberByName(vocab, w, used.has(i + 1) ? undefined : ws[i + 1]);
    if (found) {
      const { span, ...member } = found;
      out.members.push({ index: i, member, raw: ws.slice(i, i + span).join(' ') });
      masked[i] = PLACEHOLDER.member;
      if (span === 2) masked[++i] = '';
    } else if (startsMemberName(vocab, w) && !['by', 'per', 'each'].includes(ws[i - 1] ?? '')) {
      // Several members are called that: the answer says whom it could not tell apart.
      const who = vocab.members.filter((m) => m.name.toLowerCase().split(/\s+/)[0] === w).map((m) => m.name);
      out.strangers.push(`${w} (${who.slice(0, 3).join(' or ')}?)`);
    }
  }
  out.masked = masked.filter(Boolean);
  return out;
}
