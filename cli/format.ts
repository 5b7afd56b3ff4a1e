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
