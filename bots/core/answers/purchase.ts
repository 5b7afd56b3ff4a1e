import { decidePurchase, type Purchase } from '../../../application/purchases.js';
import { isCreditsError } from '../../../ledger/errors.js';
import { mayDo, principalOf, refuseUnlessAllowed } from '../access.js';
import type { BotCore } from '../core.js';
import { credits, dayTime, money } from '../format.js';
import type { Identified, Identity } from '../identity.js';
import { matchPackage } from '../match.js';
import { NO_WORKER, refusal, refuse, simple } from '../replies.js';
import {
  type Answer,
  APPROVE_ACTION,
  type Asker,
  type Block,
  type BotRequest,
  type Field,
  REJECT_ACTION,
} from '../types.js';

/**
 * An Approve / Reject button was pressed. Only owners and admins may decide; everyone else gets
 * an ephemeral refusal and nothing changes. On success `purchase` is the updated purchase and
 * `answer` the new content of the approval message.
 */
export async function decide(
  core: BotCore,
  asker: Asker,
  purchaseId: string,
  decision: 'approve' | 'reject',
): Promise<{ ok: boolean; answer: Answer; purchase?: Purchase }> {
  try {
    const who = await identifyForPurchase(core, asker, purchaseId);
    if (!who.ok) return { ok: false, answer: who.answer };
    const { workspaceId } = who.identity;
    const refused = refuseUnlessAllowed(who.identity, asker.platform, 'decide', decision);
    if (refused) return { ok: false, answer: refused };
    const purchases = core.deps.purchases;
    if (!purchases) return { ok: false, answer: refusal(NO_WORKER) };
    const scope = { workspaceId };
    let purchase: Purchase;
    try {
      purchase = await decidePurchase(
        { purchases, audit: core.deps.ledger.changes },
        principalOf(who.identity, asker.platform),
        purchaseId,
        decision === 'approve'
          ? { approve: true }
          : { approve: false, reason: `rejected in ${asker.platform}` },
        asker.platform,
        scope,
      );
    } catch (error) {
      if (!isCreditsError(error)) throw error;
      const current = await purchases.get(purchaseId, scope).catch(() => undefined);
      return {
        ok: false,
        answer: refusal(
          error.code === 'not_found'
            ? `Purchase ${purchaseId} is not a purchase of this workspace.`
            : error.message,
        ),
        ...(current ? { purchase: current } : {}),
      };
    }
    return { ok: true, answer: await purchaseMessage(core, purchase), purchase };
  } catch (error) {
    return { ok: false, answer: { ...core.failure(error), ephemeral: true } };
  }
}

/**
 * Who pressed a purchase button: a member of the purchase's own workspace (the approval message
 * may sit in a DM, where the chat platform names no team), else whoever the channel says.
 */
export async function identifyForPurchase(
  core: BotCore,
  asker: Asker,
  purchaseId: string,
): Promise<Identified> {
  if (asker.platform === 'console' || !core.deps.purchases) return core.identify(asker);
  const purchase = await core.deps.purchases.get(purchaseId, {}).catch((error: unknown) => {
    if (isCreditsError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (!purchase?.workspaceId) return core.identify(asker);
  const member = await core.deps.directory.memberByChatUser(
    purchase.workspaceId,
    asker.platform,
    asker.userId,
  );
  if (!member) {
    return refuse(`Only an owner or admin of workspace "${purchase.workspaceId}" can decide this purchase.`);
  }
  const ws = await core.deps.directory.workspace(purchase.workspaceId);
  return { ok: true, identity: { workspaceId: ws.id, workspaceName: ws.name, member } };
}

/**
 * The flow may have moved on (paid, completed) while a button's answer was being shown: the
 * message for the purchase's current status when it differs from `shown`, else null.
 */
export async function newerPurchaseMessage(core: BotCore, shown: Purchase): Promise<Answer | null> {
  const purchases = core.deps.purchases;
  if (!purchases) return null;
  const current = await purchases.get(shown.id, shown.workspaceId ? { workspaceId: shown.workspaceId } : {});
  return current.status === shown.status ? null : purchaseMessage(core, current);
}

/** "Small — 1,000 credits for $50.00": the terms recorded with the purchase. */
export function describePurchase(purchase: Purchase): { what: string; amount: number } {
  const what = `${purchase.packageName} — ${credits(purchase.credits)} for ${money(purchase.price, purchase.currency)}`;
  return { what, amount: purchase.credits };
}

/** The content of a purchase's approval message: buttons while pending, the outcome after. */
export async function purchaseMessage(core: BotCore, purchase: Purchase): Promise<Answer> {
  const ws = purchase.workspaceId;
  const name = async (id: string | null | undefined) => {
    if (!id) return undefined;
    const member = ws ? await core.deps.directory.member(ws, id).catch(() => null) : null;
    return member?.name ?? id;
  };
  const { what, amount } = describePurchase(purchase);
  const requester = await name(purchase.requestedBy);
  const decider = await name(purchase.decidedBy);
  const automatic = purchase.automatic;
  const now = core.deps.ledger.now();
  const fields: Field[] = [
    { label: 'Package', value: what },
    { label: 'Requested by', value: requester ?? (automatic ? 'auto top-up' : 'API') },
  ];
  let text: string;
  let tone: Answer['tone'] = 'info';
  const blocks: Block[] = [];
  switch (purchase.status) {
    case 'pending_approval': {
      const deadline = purchase.approvalDeadline;
      text = `Purchase request: ${what}. An owner or admin must approve it${deadline ? ` by ${dayTime(deadline, now)} UTC` : ''}.`;
      tone = 'warning';
      break;
    }
    case 'approved':
      text = `Approved${decider ? ` by ${decider}` : automatic ? ' automatically (auto top-up budget)' : ''}: ${what}. Processing the payment…`;
      break;
    case 'paid':
      text = `Paid: ${what}. Adding the credits…`;
      break;
    case 'completed':
      text = `Done: ${what}. ${credits(amount)} were added to the balance${decider ? ` (approved by ${decider})` : ''}.`;
      tone = 'good';
      break;
    case 'rejected':
      text = `Rejected${decider ? ` by ${decider}` : ''}: ${what}. Nothing was charged.`;
      tone = 'danger';
      break;
    case 'expired':
      text = `Expired: no owner or admin approved ${what} in time. Nothing was charged.`;
      tone = 'danger';
      break;
    default:
      text = `Failed: ${what}${purchase.reason ? ` (${purchase.reason})` : ''}. No credits were granted.`;
      tone = 'danger';
  }
  blocks.push(
    { type: 'header', text: 'Credit purchase' },
    { type: 'section', text },
    { type: 'fields', fields },
  );
  if (purchase.status === 'pending_approval') {
    blocks.push({
      type: 'buttons',
      buttons: [
        { actionId: APPROVE_ACTION, label: 'Approve', value: purchase.id, style: 'primary' },
        { actionId: REJECT_ACTION, label: 'Reject', value: purchase.id, style: 'danger' },
      ],
    });
    blocks.push({ type: 'context', text: `Only owners and admins can approve. Purchase ${purchase.id}.` });
  } else {
    blocks.push({
      type: 'context',
      text: `Purchase ${purchase.id} · ${purchase.status.replace('_', ' ')}`,
    });
  }
  return { intent: 'approval', text, blocks, tone };
}

export async function buyAnswer(
  core: BotCore,
  who: Identity,
  request: BotRequest,
  phrase: string,
): Promise<Answer> {
  const { member } = who;
  const list = core.catalog.packages
    .map((p) => `${p.key} (${credits(p.credits)}, ${money(p.price, core.catalog.currency)})`)
    .join(', ');
  if (!phrase)
    return simple(
      'buy',
      `Which package? ${list}. Say e.g. \`buy ${core.catalog.packages[0]?.key ?? 'small'}\`.`,
    );
  const match = matchPackage(core.catalog, phrase);
  if (match.kind === 'none') return simple('buy', `There is no package "${phrase}". Packages: ${list}.`);
  if (match.kind === 'ambiguous')
    return simple('buy', `"${phrase}" could be ${match.candidates.join(' or ')} — which one?`);
  const purchases = core.deps.purchases;
  if (!purchases) return simple('buy', NO_WORKER);
  const source = request.platform === 'console' ? 'cli' : request.platform;
  try {
    const purchase = await purchases.request(who.workspaceId, {
      package: match.package.key,
      requestedBy: member.id,
      source,
    });
    const { what } = describePurchase(purchase);
    const deadline = purchase.approvalDeadline
      ? ` by ${dayTime(purchase.approvalDeadline, core.deps.ledger.now())} UTC`
      : '';
    const next =
      purchase.status === 'pending_approval'
        ? `${mayDo(who, 'decide') ? 'You or another owner or admin' : 'An owner or admin'} approves it with the Approve button on the approval message${deadline}; nothing is charged before that.`
        : purchase.status === 'approved'
          ? 'It was approved automatically; the credits arrive once it is paid.'
          : `It is ${purchase.status.replace('_', ' ')}.`;
    const fuzzy = match.fuzzy ? ` (reading "${phrase}" as ${match.package.name})` : '';
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
    if (isCreditsError(error)) return refusal(`I couldn't request ${match.package.name}: ${error.message}`);
    throw error;
  }
}

/** `pending`: the purchases waiting for an owner or admin, with how to decide each (buttons aside). */
export async function pendingAnswer(core: BotCore, who: Identity): Promise<Answer> {
  const purchases = core.deps.purchases;
  if (!purchases) return simple('buy', NO_WORKER);
  const waiting = await purchases.pending(who.workspaceId);
  if (waiting.length === 0)
    return simple('buy', `No purchase of ${who.workspaceName} is waiting for approval.`);
  const now = core.deps.ledger.now();
  const lines = waiting.map(
    (p) =>
      `• ${p.id}: ${describePurchase(p).what}${p.approvalDeadline ? `, until ${dayTime(p.approvalDeadline, now)} UTC` : ''}`,
  );
  const how = mayDo(who, 'decide')
    ? 'Decide with `approve <purchase>` or `reject <purchase>`.'
    : 'An owner or admin decides them.';
  const text = [`Waiting for approval in ${who.workspaceName}:`, ...lines, how].join('\n');
  return { intent: 'buy', text, blocks: [{ type: 'section', text }] };
}

/** `approve <purchase>` / `reject <purchase>` where there are no buttons (the console): the same rules as the buttons. */
export async function decideAnswer(
  core: BotCore,
  request: BotRequest,
  parsed: { decision: 'approve' | 'reject'; purchaseId: string | null },
): Promise<Answer> {
  if (!parsed.purchaseId) {
    return simple(
      'buy',
      `Which purchase? Say \`${parsed.decision} purchase-…\` with an id from \`pending\`.`,
    );
  }
  const result = await core.decide(request, parsed.purchaseId, parsed.decision);
  return result.answer;
}
