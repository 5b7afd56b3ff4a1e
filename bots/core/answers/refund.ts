import { CreditsError } from '../../../ledger/errors.js';
import type { AnswerContext } from '../context.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

/**
 * "refund purchase-…" (owners): the purchase's unused credits are voided now and their price is
 * paid back by the refund flow; a refusal says why (never paid, already refunded, nothing unused…).
 */
export async function refundAnswer(
  ctx: Pick<AnswerContext, 'who' | 'refunds'>,
  params: { purchaseId: string },
): Promise<Answer> {
  if (ctx.who.member.role !== 'owner') {
    return simple('refund', 'Only an owner of the workspace can refund a purchase.');
  }
  if (!ctx.refunds) return simple('refund', 'Refunds are not available here.');
  try {
    const { purchase, refund } = await ctx.refunds.refund(params.purchaseId);
    const whole = purchase.status === 'refunded' ? 'the whole purchase' : 'its unused part';
    return simple(
      'refund',
      `Refunded ${whole}: ${refund.credits.toLocaleString('en-US')} credits voided, ${refund.amount} ${refund.currency} on its way back (${purchase.id} is now ${purchase.status.replace('_', ' ')}).`,
    );
  } catch (err) {
    if (err instanceof CreditsError && (err.code === 'conflict' || err.code === 'not_found')) {
      return simple('refund', `Not refunded: ${err.message}.`);
    }
    throw err;
  }
}

/** "refund purchase-…": the purchase id, when the text is that request (read before the understanding layer). */
export function refundRequested(text: string): string | null {
  const m = /^\s*refund\s+(purchase-[a-z0-9_-]{1,100})\s*[.!]?\s*$/i.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}
