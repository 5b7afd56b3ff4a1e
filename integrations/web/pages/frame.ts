import type { Context } from 'hono';
import type { WebAction } from '../../../application/policies.js';
import type { WebEnv } from '../session.js';
import type { Html, PageFrame } from './layout.js';
import { page } from './layout.js';

export interface BalanceBody {
  workspaceId: string;
  total: number;
  byType: Record<'subscription' | 'promotional' | 'trial' | 'purchased', number>;
  nextExpiry: { amount: number; at: string } | null;
  renewal: { amount: number; at: string } | null;
  lifetimeUsed: number;
}

/** Done-messages a form action may redirect with (fixed texts: a link cannot make the page say anything else). */
const DONE: Record<string, string> = {
  requested: 'Purchase requested. An owner or admin will be asked to approve it.',
  approved: 'Purchase approved: the credits arrive once it is paid.',
  rejected: 'Purchase rejected.',
  alerts: 'Alert thresholds saved.',
  autotopup: 'Auto top-up saved.',
  revoked: 'Key revoked.',
  budgetSaved: 'Budget saved.',
  budgetDeleted: 'Budget deleted: what it counted stays in the journal.',
  raiseAsked: 'Raise asked. An owner or admin will be asked to approve it.',
  raiseApproved: 'Raise approved: the budget allows that much more this period.',
  raiseRejected: 'Raise rejected.',
};

export function doneNotice(c: Context): PageFrame['notice'] {
  const text = DONE[c.req.query('done') ?? ''];
  return text ? { kind: 'ok', text } : null;
}

/** The member's workspace and balance (the header shows it on every page), then the page. */
export async function render(
  c: Context<WebEnv>,
  title: string,
  active: WebAction | null,
  body: (balance: BalanceBody) => Html | Promise<Html>,
  options: { notice?: PageFrame['notice']; status?: number } = {},
): Promise<Response> {
  const session = c.get('session');
  const api = c.get('api');
  const ws = encodeURIComponent(session.principal.workspaceId);
  const [workspace, balance] = await Promise.all([
    api.get<{ name: string }>(`/v1/workspaces/${ws}`),
    api.get<BalanceBody>(`/v1/workspaces/${ws}/balance`),
  ]);
  const content = await body(balance);
  return c.html(
    page(
      {
        title,
        active,
        principal: session.principal,
        csrf: session.csrfToken,
        workspaceName: workspace.name,
        balance: balance.total,
        notice: options.notice ?? doneNotice(c),
      },
      content,
    ),
    (options.status ?? 200) as 200,
  );
}

export const wsPath = (c: Context<WebEnv>) =>
  `/v1/workspaces/${encodeURIComponent(c.get('session').principal.workspaceId)}`;
