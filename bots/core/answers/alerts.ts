import { isCreditsError } from '../../../ledger/errors.js';
import { mayDo } from '../access.js';
import type { AnswerContext } from '../context.js';
import { credits, n } from '../format.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

/** `alerts`: where alerts go and at which thresholds. */
export async function alertsAnswer(ctx: Pick<AnswerContext, 'who' | 'reads' | 'alerts'>): Promise<Answer> {
  const { who } = ctx;
  const [current, links, balance] = await Promise.all([
    ctx.alerts.get(),
    ctx.reads.chatLinks(),
    ctx.reads.balance(),
  ]);
  const channels = links.filter((l) => l.channel);
  const where =
    channels.length > 0
      ? `Alerts go to ${channels.map((l) => `${l.platform === 'slack' ? 'Slack' : 'Discord'} channel ${l.channel}`).join(', ')}.`
      : 'No channel is linked yet, so alerts reach no chat channel (link one with POST /v1/workspaces/{ws}/chat-links and a channel).';
  const text = `Alerts fire once when the balance falls below low ${credits(current.low)}, critical ${credits(current.critical)} and depleted 0, and re-arm when it rises again. Balance now: ${n(balance.total)}. ${where}`;
  const change = mayDo(who, 'setAlerts') ? ' Change with `alerts low 200 critical 20`.' : '';
  return simple('alerts', text + change);
}

/** `alerts low 200 critical 20`: changes the thresholds through the application's one rule (owners, admins). */
export async function setAlertsAnswer(
  ctx: Pick<AnswerContext, 'who' | 'alerts'>,
  params: { low?: number; critical?: number },
): Promise<Answer> {
  const { who } = ctx;
  try {
    const next = await ctx.alerts.set(params);
    const text = `Alert thresholds of ${who.workspaceName} set: low at ${credits(next.low)}, critical at ${credits(next.critical)} (and depleted at 0). Changed by ${who.member.name}.`;
    return simple('alerts', text);
  } catch (error) {
    if (!isCreditsError(error) || error.code !== 'invalid_request') throw error;
    return simple('alerts', `Those thresholds don't work: ${error.message}.`);
  }
}
