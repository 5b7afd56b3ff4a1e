import type { Catalog } from '../../ledger/catalog/schema.js';
import { INTENTS, type Intent, type ItemSlot, type Slots } from './types.js';

/**
 * A clarification's choice as a self-contained id: the reading itself, so a press reaching another
 * process or coming after a restart answers the same question. Printable ASCII without spaces, at
 * most `max` characters; decoding treats the id as untrusted and checks every value.
 */

const PREFIX = 'r1';
const SAFE = /^[A-Za-z0-9_.@-]{1,120}$/;
const label = (s: string) =>
  s
    .replace(/[^a-z0-9 ]/gi, '')
    .trim()
    .replace(/ +/g, '_')
    .slice(0, 24);

export function encodeChoice(intent: Intent, s: Slots, max: number): string | undefined {
  const parts: string[] = [PREFIX, intent];
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined) parts.push(`${k}=${v}`);
  };
  if (s.items?.length)
    put(
      'i',
      s.items
        .map(
          (i) =>
            `${i.quantity}*${i.operation}*${i.model ?? ''}*${i.quantityStated ? '' : 'u'}*${i.complexity ?? ''}`,
        )
        .join('~'),
    );
  if (s.campaign) put('c', `${s.campaign.platforms}x${s.campaign.weeks}x${s.campaign.postsPerWeek}`);
  if (s.operation) put('o', `${s.operation.key}*${s.operation.model ?? ''}`);
  if (s.member) put('m', s.member.id);
  if (s.window)
    put(
      'w',
      `${(Date.parse(s.window.from) / 1000).toString(36)}*${(Date.parse(s.window.to) / 1000).toString(36)}*${label(s.window.label)}`,
    );
  put('p', s.package);
  put('lo', s.thresholds?.low);
  put('cr', s.thresholds?.critical);
  put('a', s.amount);
  put('id', s.purchaseId);
  put('n', s.limit);
  put('g', s.groupBy);
  put('t', s.toggle);
  put('pe', s.period);
  put('au', s.audit);
  const id = parts.join('|');
  return id.length <= max && /^[\x21-\x7e]+$/.test(id) ? id : undefined;
}

const int = (v: string) => (/^\d{1,12}$/.test(v) ? Number(v) : undefined);

function opLabel(catalog: Catalog, operation: string, model?: string): string | undefined {
  const op = catalog.operations.find((o) => o.key === operation);
  if (!op) return undefined;
  if (!model) return op.name;
  return op.rule.type === 'tier' ? op.rule.tiers[model]?.name : undefined;
}

/** The reading a choice id stands for, or undefined when the id is not one of ours or names unknown things. */
export function decodeChoice(id: string, catalog: Catalog): { intent: Intent; slots: Slots } | undefined {
  const [prefix, intent, ...rest] = id.split('|');
  if (prefix !== PREFIX || !(INTENTS as readonly string[]).includes(intent ?? '')) return undefined;
  const slots: Slots = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (eq < 1 || !v) return undefined;
    switch (k) {
      case 'i': {
        const items: ItemSlot[] = [];
        for (const one of v.split('~').slice(0, 25)) {
          const [q, operation = '', model = '', u, complexity] = one.split('*');
          const quantity = int(q ?? '');
          const name = opLabel(catalog, operation, model || undefined);
          if (quantity === undefined || quantity < 1 || !name) return undefined;
          if (complexity && !['simple', 'standard', 'complex'].includes(complexity)) return undefined;
          items.push({
            operation,
            ...(model ? { model } : {}),
            quantity,
            quantityStated: u !== 'u',
            ...(complexity ? { complexity: complexity as ItemSlot['complexity'] } : {}),
            phrase: name,
            label: name,
            fuzzy: false,
          });
        }
        slots.items = items;
        break;
      }
      case 'c': {
        const [p, w, n] = v.split('x').map(int);
        if (!p || !w || !n) return undefined;
        slots.campaign = { platforms: p, weeks: w, postsPerWeek: n, assumptions: [] };
        break;
      }
      case 'o': {
        const [key = '', model = ''] = v.split('*');
        const name = opLabel(catalog, key, model || undefined);
        if (!name) return undefined;
        slots.operation = { key, ...(model ? { model } : {}), label: name };
        break;
      }
      case 'm':
        if (!SAFE.test(v)) return undefined;
        slots.member = v === '@me' ? { id: '@me', name: 'you' } : { id: v, name: v };
        break;
      case 'w': {
        const [from = '', to = '', said = ''] = v.split('*');
        const f = Number.parseInt(from, 36) * 1000;
        const t = Number.parseInt(to, 36) * 1000;
        if (!Number.isFinite(f) || !Number.isFinite(t) || f >= t || t > 8.64e15) return undefined;
        slots.window = {
          from: new Date(f).toISOString(),
          to: new Date(t).toISOString(),
          label: said.replace(/_/g, ' '),
        };
        break;
      }
      case 'p':
        if (!catalog.packages.some((p) => p.key === v)) return undefined;
        slots.package = v;
        break;
      case 'lo':
      case 'cr': {
        const n = int(v);
        if (n === undefined) return undefined;
        slots.thresholds = { ...slots.thresholds, [k === 'lo' ? 'low' : 'critical']: n };
        break;
      }
      case 'a':
      case 'n': {
        const n = int(v);
        if (n === undefined) return undefined;
        if (k === 'a') slots.amount = n;
        else slots.limit = Math.min(Math.max(n, 1), 25);
        break;
      }
      case 'id':
        if (!/^purchase-[A-Za-z0-9_-]{1,120}$/.test(v)) return undefined;
        slots.purchaseId = v;
        break;
      case 'g':
        if (v !== 'member' && v !== 'operation' && v !== 'source') return undefined;
        slots.groupBy = v;
        break;
      case 't':
        if (v !== 'on' && v !== 'off') return undefined;
        slots.toggle = v;
        break;
      case 'pe':
        if (v !== 'day' && v !== 'week' && v !== 'month') return undefined;
        slots.period = v;
        break;
      case 'au':
        if (!['alerts', 'auto_top_up', 'keys', 'members', 'purchases'].includes(v)) return undefined;
        slots.audit = v as Slots['audit'];
        break;
      default:
        return undefined;
    }
  }
  return { intent: intent as Intent, slots };
}
