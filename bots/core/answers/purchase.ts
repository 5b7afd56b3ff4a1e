import { isCreditsError } from '../../../ledger/errors.js';
import { mayDo } from '../access.js';
import type { AnswerContext } from '../context.js';
import { credits, dayTime, money } from '../format.js';
import { describePurchase } from '../purchase-desk.js';
import { NO_WORKER, refusal, simple } from '../replies.js';
import type { Answer } from '../types.js';

/** `buy <package>`: requests the package as the asker; an owner or admin approves it. */
export async function buyAnswer(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'catalog' | 'platform' | 'purchases'>,
  params: { package: string; readAs?: string },
): Promise<Answer> {
  const { who, catalog } = ctx;
  const pkg = catalog.packages.find((p) => p.key === params.package);
  if (!pkg) {
    const list = catalog.packages
      .map((p) => `${p.key} (${credits(p.credits)}, ${money(p.price, catalog.currency)})`)
      .join(', ');
    return simple('buy', `There is no package "${params.package}". Packages: ${list}.`);
  }
  if (!ctx.purchases) return simple('buy', NO_WORKER);
  try {
    const purchase = await ctx.purchases.request(pkg.key);
    const { what } = describePurchase(purchase);
    const deadline = purchase.approvalDeadline
      ? ` by ${dayTime(purchase.approvalDeadline, ctx.now)} UTC`
      : '';
    const approver = mayDo(who, 'decide') ? 'You or another owner or admin' : 'An owner or admin';
    // The console has no buttons: there a decision is typed.
    const how =
      ctx.platform === 'console'
        ? `approves it with \`approve ${purchase.id}\`${deadline}`
        : `approves it with the Approve button on the approval message${deadline}`;
    const next =
      purchase.status === 'pending_approval'
        ? `${approver} ${how}; nothing is charged before that.`
        : purchase.status === 'approved'
          ? 'It was approved automatically; the credits arrive once it is paid.'
          : `It is ${purchase.status.replace('_', ' ')}.`;
    const fuzzy = params.readAs ? ` (reading "${params.readAs}" as ${pkg.name})` : '';
    const text = `Purchase requested${fuzzy}: ${what}. ${next}`;
    return {
      intent: 'buy',
      text,
      blocks: [
        { type: 'section', text },
        { type: 'context', text: `Purchase ${purchase.id} · ${purchase.status.replace('_', ' ')}` },
      ],
      tone: 'info',
    };
  } catch (error) {
    if (isCreditsError(error)) return refusal(`I couldn't request ${pkg.name}: ${error.message}`);
    throw error;
  }
}

/** `pending`: the purchases waiting for an owner or admin, with how to decide each (buttons aside). */
export async function pendingAnswer(ctx: Pick<AnswerContext, 'who' | 'now' | 'purchases'>): Promise<Answer> {
  const { who } = ctx;
  if (!ctx.purchases) return simple('buy', NO_WORKER);
  const waiting = await ctx.purchases.pending();
  if (waiting.length === 0)
    return simple('buy', `No purchase of ${who.workspaceName} is waiting for approval.`);
  const lines = waiting.map(
    (p) =>
      `• ${p.id}: ${describePurchase(p).what}${p.approvalDeadline ? `, until ${dayTime(p.approvalDeadline, ctx.now)} UTC` : ''}`,
  );
  const how = mayDo(who, 'decide')
    ? 'Decide with `approve <purchase>` or `reject <purchase>`.'
    : 'An owner or admin decides them.';
  const text = [`Waiting for approval in ${who.workspaceName}:`, ...lines, how].join('\n');
  return { intent: 'buy', text, blocks: [{ type: 'section', text }] };
}

/** `approve <purchase>` / `reject <purchase>` where there are no buttons (the console): the same rules as the buttons. */
export async function decideAnswer(
  ctx: Pick<AnswerContext, 'purchases'>,
  params: { decision: 'approve' | 'reject'; purchaseId: string | null },
): Promise<Answer> {
  if (!params.purchaseId) {
    return simple(
      'buy',
      `Which purchase? Say \`${params.decision} purchase-…\` with an id from \`pending\`.`,
    );
  }
  if (!ctx.purchases) return refusal(NO_WORKER);
  return (await ctx.purchases.decide(params.purchaseId, params.decision)).answer;
}
