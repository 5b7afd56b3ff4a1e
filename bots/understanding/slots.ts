import { readCampaign } from './campaign.js';
import { matchPackage } from './names.js';
import { type FoundItem, PLACEHOLDER, parseNumber, type Scan } from './scan.js';
import type { Intent, ItemSlot, Slots, Vocabulary } from './types.js';

/**
 * Fills an intent's slots from what the scan found, and lists what the intent leaves unused:
 * every number and name of the question is either in a slot or in `ignored`.
 */

export interface Filled {
  slots: Slots;
  ignored: string[];
  unknown: string[];
  /** Something the intent needs is missing or doubtful: lowers the confidence. */
  doubt: number;
}

const ITEM_INTENTS = new Set<Intent>(['estimate', 'afford']);
const FILTER_INTENTS = new Set<Intent>(['usage', 'history', 'top_spender']);
const WINDOW_INTENTS = new Set<Intent>(['usage', 'top_spender', 'history']);
/** Intents a window only qualifies ("credit left this month"): used, not reported as ignored. */
const CONTEXT_WINDOW_INTENTS = new Set<Intent>([
  'balance',
  'expiry',
  'renewal',
  'runway',
  'budget_usage',
  'sub_vs_purchased',
]);
const MEMBER_INTENTS = new Set<Intent>(['usage', 'set_budget', 'budget_usage', 'raise_budget', 'budgets']);
const SELF = new Set(['i', 'me', 'my', 'mine', 'myself', "i've", 'im', "i'm"]);
const COMPLEXITY = new Set(['simple', 'standard', 'complex']);
const STOP = new Set(['a', 'an', 'the', 'of', 'for', 'and', 'to', 'x', '×', 'please', 'pls', 'plz']);

class Use {
  readonly numbers = new Set<number>();
  readonly items = new Set<FoundItem>();
  members = false;
  windows = false;
}

function quantityOf(
  scan: Scan,
  item: FoundItem,
  use: Use,
  common: ReadonlySet<string>,
): { quantity: number; stated: boolean } {
  const ws = scan.words;
  const inside = item.countAt !== undefined ? scan.numbers.find((x) => x.index === item.countAt) : undefined;
  if (inside) {
    use.numbers.add(inside.index);
    return { quantity: inside.value, stated: true };
  }
  let k = item.start - 1;
  // "a blog article": one describing word may stand between the count and the name.
  if (
    k >= 1 &&
    !common.has(ws[k]!) &&
    !ws[k]!.startsWith('z') &&
    parseNumber(ws[k]!) === undefined &&
    (parseNumber(ws[k - 1]!) !== undefined || ['a', 'an', 'one'].includes(ws[k - 1]!))
  )
    k--;
  if (k >= 0 && (ws[k] === 'x' || ws[k] === '×')) k--;
  if (k >= 0 && COMPLEXITY.has(ws[k]!)) k--;
  const n = scan.numbers.find((x) => x.index === k);
  if (n) {
    use.numbers.add(n.index);
    return { quantity: n.value, stated: true };
  }
  const times = k >= 0 ? /^(\d{1,6})x$/.exec(ws[k]!) : null;
  if (times) return { quantity: Number(times[1]), stated: true };
  if (k >= 0 && ['a', 'an', 'one', 'single'].includes(ws[k]!)) return { quantity: 1, stated: true };
  return { quantity: 1, stated: false };
}

function items(scan: Scan, use: Use, common: ReadonlySet<string>): ItemSlot[] {
  return scan.items.map((item) => {
    use.items.add(item);
    const { quantity, stated } = quantityOf(scan, item, use, common);
    const before = scan.words.slice(Math.max(0, item.start - 2), item.start);
    const complexity = before.find((w) => COMPLEXITY.has(w)) as ItemSlot['complexity'];
    return {
      operation: item.operation,
      ...(item.model ? { model: item.model } : {}),
      quantity,
      quantityStated: stated,
      ...(complexity ? { complexity } : {}),
      phrase: item.phrase,
      label: item.label,
      fuzzy: item.fuzzy,
    };
  });
}

/** Words of an estimate that named nothing: "how much is a unicorn video" → "unicorn". */
function unknownWords(scan: Scan, used: Use, common: ReadonlySet<string>): string[] {
  const inItem = new Set<number>();
  for (const i of scan.items) for (let j = i.start; j < i.end; j++) inItem.add(j);
  for (const a of scan.ambiguous) inItem.add(a.index);
  const out: string[] = [];
  let run: string[] = [];
  scan.words.forEach((w, i) => {
    const plain =
      !inItem.has(i) &&
      !common.has(w) &&
      !STOP.has(w) &&
      !used.numbers.has(i) &&
      parseNumber(w) === undefined &&
      !w.startsWith('z') &&
      /\p{L}/u.test(w);
    if (plain) run.push(w);
    else if (run.length > 0) {
      out.push(run.join(' '));
      run = [];
    }
  });
  if (run.length > 0) out.push(run.join(' '));
  return out;
}

function has(scan: Scan, ...phrases: string[]): boolean {
  const text = ` ${scan.words.join(' ')} `;
  return phrases.some((p) => text.includes(` ${p} `));
}

function numberAfter(scan: Scan, index: number, use: Use, within = 4) {
  const n = scan.numbers.find(
    (x) => x.index > index && x.index <= index + within && !use.numbers.has(x.index),
  );
  if (n) use.numbers.add(n.index);
  return n?.value;
}

function thresholds(scan: Scan, use: Use): { low?: number; critical?: number } {
  const out: { low?: number; critical?: number } = {};
  scan.words.forEach((w, i) => {
    if (w === 'low' || w === 'warning') out.low ??= numberAfter(scan, i, use, 6);
    if (w === 'critical' || w === 'crit' || w === 'urgent') out.critical ??= numberAfter(scan, i, use, 6);
  });
  for (const k of ['low', 'critical'] as const) if (out[k] === undefined) delete out[k];
  // "set the alert to 500", no level named: the low threshold is the one people mean.
  if (out.low === undefined && out.critical === undefined) {
    const n = scan.numbers.find((x) => !use.numbers.has(x.index));
    if (n) {
      use.numbers.add(n.index);
      out.low = n.value;
    }
  }
  return out;
}

function firstUnusedNumber(scan: Scan, use: Use): number | undefined {
  const n = scan.numbers.find((x) => !use.numbers.has(x.index));
  if (n) use.numbers.add(n.index);
  return n?.value;
}

function packageOf(vocab: Vocabulary, scan: Scan): { key: string; readAs?: string } | undefined {
  for (const w of scan.words) {
    if (w.length < 4 || w.startsWith('z')) continue;
    const m = matchPackage(vocab.catalog, w);
    if (m.kind === 'match') return { key: m.package.key, ...(m.fuzzy ? { readAs: w } : {}) };
  }
  return undefined;
}

function groupBy(scan: Scan): Slots['groupBy'] {
  if (
    has(
      scan,
      'by member',
      'by members',
      'per member',
      'by user',
      'by users',
      'per user',
      'per person',
      'by person',
      'by people',
      'each member',
      'each person',
      'by teammate',
      'per teammate',
    )
  )
    return 'member';
  if (
    has(
      scan,
      'by operation',
      'per operation',
      'by feature',
      'per feature',
      'by model',
      'per model',
      'by tool',
      'on what',
    )
  )
    return 'operation';
  // "what did we spend credits on": a breakdown, unless one operation is named.
  if (
    scan.items.length === 0 &&
    has(
      scan,
      'spend on',
      'spent on',
      'credits on',
      'go to',
      'went to',
      'going to',
      'use on',
      'used on',
      'credits for',
      'used for',
      'spent for',
      'credits go',
      'credits went',
    )
  )
    return 'operation';
  if (has(scan, 'by source', 'per source', 'by type', 'by credit type')) return 'source';
  return undefined;
}

export function fill(intent: Intent, scan: Scan, vocab: Vocabulary, common: ReadonlySet<string>): Filled {
  const use = new Use();
  const slots: Slots = {};
  let doubt = 0;
  let unknown: string[] = [];
  const ws = scan.words;
  if (ITEM_INTENTS.has(intent)) {
    if (ws.includes('campaign') || ws.includes('campaigns')) {
      slots.campaign = readCampaign(
        ws,
        (i) => scan.numbers.find((x) => x.index === i)?.value,
        (i) => use.numbers.add(i),
      );
      for (const i of scan.items) if (!i.strong) use.items.add(i);
    } else {
      slots.items = items(scan, use, common);
      unknown = unknownWords(scan, use, common);
      if (slots.items.length === 0 && scan.ambiguous.length === 0) doubt = unknown.length > 0 ? 0.2 : 0.5;
    }
  }
  if (FILTER_INTENTS.has(intent)) {
    const item = scan.items[0];
    if (item) {
      use.items.add(item);
      slots.operation = {
        key: item.operation,
        ...(item.model ? { model: item.model } : {}),
        label: item.label,
      };
    }
    const by = groupBy(scan);
    if (by && intent !== 'top_spender') slots.groupBy = by;
  }
  if (WINDOW_INTENTS.has(intent) && scan.windows[0]) {
    slots.window = scan.windows[0].window;
    use.windows = true;
  }
  if (CONTEXT_WINDOW_INTENTS.has(intent) && scan.windows.length === 1) use.windows = true;
  if (MEMBER_INTENTS.has(intent)) {
    const m = scan.members[0];
    if (m) {
      slots.member = m.member;
      use.members = true;
    } else if (ws.some((w) => SELF.has(w)) && intent !== 'budgets') {
      slots.member = { id: '@me', name: 'you' };
    }
  }
  switch (intent) {
    case 'history': {
      const entries = /^(transactions?|entries|entry|debits?|charges?|movements?|items?)$/;
      const limit = scan.numbers.find(
        (x) =>
          ['last', 'latest', 'recent', 'past', 'top'].includes(ws[x.index - 1] ?? '') ||
          ws.slice(x.index + 1, x.index + 4).some((w) => entries.test(w)),
      );
      if (limit) {
        use.numbers.add(limit.index);
        slots.limit = Math.min(Math.max(limit.value, 1), 25);
      }
      break;
    }
    case 'runway':
      // "when do we hit 0": zero is what the runway runs to.
      for (const n of scan.numbers) if (n.value === 0) use.numbers.add(n.index);
      break;
    case 'why': {
      const n = firstUnusedNumber(scan, use);
      if (n !== undefined) slots.amount = n;
      break;
    }
    case 'packages':
    case 'buy':
    case 'set_auto_top_up': {
      const p = packageOf(vocab, scan);
      if (p) slots.package = p.key;
      if (p?.readAs) slots.packageReadAs = p.readAs;
      if (intent === 'set_auto_top_up') {
        if (has(scan, 'off', 'disable', 'stop', 'turn off', 'switch off', 'deactivate', 'no more'))
          slots.toggle = 'off';
        else if (slots.package || has(scan, 'on', 'enable', 'turn on', 'switch on', 'activate', 'start'))
          slots.toggle = 'on';
        const n = firstUnusedNumber(scan, use);
        if (n !== undefined) slots.amount = n;
      }
      break;
    }
    case 'approve':
    case 'reject':
      if (scan.purchaseIds[0]) slots.purchaseId = scan.purchaseIds[0];
      break;
    case 'set_alerts':
      slots.thresholds = thresholds(scan, use);
      if (Object.keys(slots.thresholds).length === 0) doubt = 0.3;
      break;
    case 'set_budget':
    case 'raise_budget': {
      const n = firstUnusedNumber(scan, use);
      if (n !== undefined) slots.amount = n;
      else doubt = 0.2;
      if (intent === 'set_budget') {
        if (has(scan, 'a day', 'per day', 'daily', 'each day')) slots.period = 'day';
        else if (has(scan, 'a week', 'per week', 'weekly', 'each week')) slots.period = 'week';
        else slots.period = 'month';
      }
      break;
    }
    case 'audit': {
      const about = has(scan, 'alert', 'alerts', 'threshold', 'thresholds')
        ? 'alerts'
        : has(scan, 'top up', 'top-up', 'topup', 'auto top-up')
          ? 'auto_top_up'
          : has(scan, 'key', 'keys')
            ? 'keys'
            : has(scan, 'member', 'members', 'role', 'roles', 'people', 'added', 'invited', 'removed')
              ? 'members'
              : has(scan, 'purchase', 'purchases', 'approved', 'rejected', 'bought')
                ? 'purchases'
                : undefined;
      if (about) slots.audit = about;
      break;
    }
    default:
      break;
  }
  const ignored: string[] = [];
  for (const n of scan.numbers) if (!use.numbers.has(n.index)) ignored.push(n.raw);
  if (!use.members) for (const m of scan.members) ignored.push(m.member.name);
  // A mention of someone who is not a member: reported where a person was meant; elsewhere it is
  // the bot being addressed ("hey @credits").
  if (MEMBER_INTENTS.has(intent) || intent === 'top_spender') ignored.push(...scan.strangers);
  if (!use.windows) for (const w of scan.windows) ignored.push(w.window.label);
  else for (const w of scan.windows.slice(1)) ignored.push(w.window.label);
  for (const i of scan.items) if (!use.items.has(i) && i.strong) ignored.push(i.label);
  if (!ITEM_INTENTS.has(intent)) unknown = [];
  return { slots, ignored, unknown, doubt };
}

export { PLACEHOLDER };
