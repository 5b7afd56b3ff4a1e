import type { Catalog } from '../../ledger/catalog/schema.js';
import type { Transaction } from '../../ledger/types.js';
import { dayTime, LOT_TYPE_NAMES, n, signed } from './format.js';

export function knownNames(catalog: Catalog): string {
  const examples: string[] = [];
  for (const op of catalog.operations) {
    if (op.rule.type === 'tier') examples.push(...Object.values(op.rule.tiers).map((t) => t.name));
    else examples.push(op.name.toLowerCase());
    if (examples.length > 14) break;
  }
  return `Try names like: ${examples.slice(0, 14).join(', ')}.`;
}

export function entryLine(t: Transaction, now: Date, catalog: Catalog): string {
  const what =
    t.kind === 'debit'
      ? operationName(t.operation, catalog) + (t.quantity && t.quantity > 1 ? ` ×${n(t.quantity)}` : '')
      : t.kind === 'grant'
        ? `grant (${t.lots[0] ? (LOT_TYPE_NAMES[t.lots[0].type] ?? t.lots[0].type) : 'lot'})${t.reason ? `: ${t.reason}` : ''}`
        : t.kind === 'expire'
          ? `expired ${t.lots[0] ? (LOT_TYPE_NAMES[t.lots[0].type] ?? '') : ''}`.trim()
          : t.kind === 'reverse'
            ? `refund of #${t.reversesId}`
            : `adjustment${t.reason ? `: ${t.reason}` : ''}`;
  const who = t.actor ? ` · ${t.actor}` : '';
  return `${dayTime(t.createdAt, now)}  ${signed(t.delta)}  ${what}${who} · ${t.source} → ${n(t.balanceAfter)}`;
}

export function operationName(key: string | null, catalog: Catalog): string {
  if (!key) return 'credits (no operation)';
  return catalog.operations.find((o) => o.key === key)?.name ?? key;
}
