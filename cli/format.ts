import type { RevenueReport } from '../ledger/revenue.js';
import type { Balance, Transaction } from '../ledger/types.js';

const n = (x: number) => x.toLocaleString('en-US');
const day = (iso: string) => iso.slice(0, 10);

export function formatBalance(b: Balance): string {
  const lines = [
    `Workspace ${b.workspaceId}: ${n(b.total)} credits available${b.held ? ` (${n(b.held)} held)` : ''}`,
    `  subscription ${n(b.byType.subscription)} · promotional ${n(b.byType.promotional)} · trial ${n(b.byType.trial)} · purchased ${n(b.byType.purchased)}`,
  ];
  if (b.nextExpiry)
    lines.push(
      `  next expiry: ${n(b.nextExpiry.amount)} ${b.nextExpiry.type} credits on ${day(b.nextExpiry.at)}`,
    );
  if (b.renewal) lines.push(`  renewal: ${n(b.renewal.amount)} credits on ${day(b.renewal.at)}`);
  lines.push(`  lifetime used: ${n(b.lifetimeUsed)}`);
  return lines.join('\n');
}

export function formatTransactions(items: Transaction[]): string {
  if (items.length === 0) return 'No transactions.';
  return items
    .map((t) => {
      const sign = t.delta > 0 ? '+' : t.delta < 0 ? '−' : ' ';
      const what = t.operation ?? t.reason ?? '';
      return `${t.createdAt.replace('T', ' ').slice(0, 16)}  #${t.id.padEnd(7)} ${t.kind.padEnd(8)} ${sign}${n(t.amount).padStart(8)}  → ${n(t.balanceAfter).padStart(8)}  ${what}${t.actor ? `  (${t.actor})` : ''}`;
    })
    .join('\n');
}

/** The revenue report as a table: the total, then one line per workspace. */
export function formatRevenue(r: RevenueReport): string {
  const cols = ['openingDeferred', 'sold', 'recognized', 'breakage', 'refunded', 'closingDeferred'] as const;
  const head = ['', 'opening deferred', 'sold', 'recognized', 'breakage', 'refunded', 'closing deferred'];
  const rows = [
    ['total', ...cols.map((c) => r[c])],
    ...r.workspaces.map((w) => [w.workspaceId, ...cols.map((c) => w[c])]),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `Revenue in ${r.currency}, ${r.from} to ${r.to} (opening + sold = recognized + breakage + refunded + closing)`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}
