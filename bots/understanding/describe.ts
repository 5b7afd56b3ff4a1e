import type { Intent, Slots } from './types.js';

/** A short line naming a reading, for the buttons / numbered choices of a clarification. */
export function describe(intent: Intent, s: Slots): string {
  const who = s.member ? (s.member.id === '@me' ? 'your' : `${s.member.name}'s`) : 'the workspace';
  const when = s.window ? ` ${s.window.label}` : '';
  const what = s.operation ? ` on ${s.operation.label}` : '';
  const items = s.items?.map((i) => `${i.quantity} × ${i.label}`).join(' + ');
  switch (intent) {
    case 'balance':
      return 'Our balance';
    case 'expiry':
      return 'What expires when';
    case 'renewal':
      return 'When credits renew';
    case 'runway':
      return 'When we run out at this pace';
    case 'why':
      return s.amount !== undefined ? `Why the balance is ${s.amount}` : 'Why the balance is what it is';
    case 'estimate':
      return s.campaign
        ? 'The cost of the campaign'
        : items
          ? `The cost of ${items}`
          : 'The cost of something';
    case 'afford':
      return s.campaign
        ? 'Whether we can afford the campaign'
        : items
          ? `Whether we can afford ${items}`
          : 'Whether we can afford something';
    case 'history':
      return `The latest entries${what}`;
    case 'usage':
      return `${who === 'the workspace' ? 'Usage' : `${who[0]!.toUpperCase()}${who.slice(1)} usage`}${what}${when || ' in the last 30 days'}`;
    case 'top_spender':
      return `Who used the most${what}${when}`;
    case 'packages':
      return 'The packages for sale';
    case 'buy':
      return s.package ? `Buy the ${s.package} package` : 'Buy a package';
    case 'need_credits':
      return 'Which package to buy';
    case 'pending':
      return 'Purchases waiting for approval';
    case 'approve':
      return s.purchaseId ? `Approve ${s.purchaseId}` : 'Approve a purchase';
    case 'reject':
      return s.purchaseId ? `Reject ${s.purchaseId}` : 'Reject a purchase';
    case 'audit':
      return `Who changed ${s.audit?.replace(/_/g, ' ') ?? 'settings'}`;
    case 'alerts':
      return 'The alert thresholds';
    case 'set_alerts':
      return `Set alert thresholds${s.thresholds?.low !== undefined ? ` (low ${s.thresholds.low})` : ''}${s.thresholds?.critical !== undefined ? ` (critical ${s.thresholds.critical})` : ''}`;
    case 'plan':
      return 'Our plan and subscription';
    case 'auto_top_up':
      return 'Whether auto top-up is on';
    case 'set_auto_top_up':
      return `Turn auto top-up ${s.toggle ?? 'on or off'}`;
    case 'sub_vs_purchased':
      return 'Subscription vs purchased credits';
    case 'keys':
      return 'The API keys';
    case 'web':
      return 'A sign-in link to the web console';
    case 'set_budget':
      return `Set ${who} budget${s.amount !== undefined ? ` to ${s.amount} a ${s.period ?? 'month'}` : ''}`;
    case 'budget_usage':
      return `How much of ${who} budget is used`;
    case 'budgets':
      return 'Our budgets';
    case 'raise_budget':
      return `Raise ${who} budget${s.amount !== undefined ? ` by ${s.amount}` : ''}`;
    case 'greeting':
      return 'Hello';
    case 'thanks':
      return 'Thanks';
    case 'help':
      return 'What I can do';
  }
}
