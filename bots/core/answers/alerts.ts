import { isCreditsError } from '../../../ledger/errors.js';
import { mayDo } from '../access.js';
import type { BotCore } from '../core.js';
import { credits, n } from '../format.js';
import type { Identity } from '../identity.js';
import type { Parsed } from '../parse.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

/** `alerts`: where alerts go and at which thresholds; `alerts low 200 critical 20` changes them (owners, admins). */
export async function alertsAnswer(
  core: BotCore,
  who: Identity,
  parsed: Extract<Parsed, { intent: 'alerts' }>,
): Promise<Answer> {
  const { directory, ledger } = core.deps;
  if (parsed.invalid) return simple('alerts', parsed.invalid);
  if (parsed.set) {
    try {
      const next = await core.alertSettings.set(who.workspaceId, parsed.set);
      const text = `Alert thresholds of ${who.workspaceName} set: low at ${credits(next.low)}, critical at ${credits(next.critical)} (and depleted at 0). Changed by ${who.member.name}.`;
      return simple('alerts', text);
    } catch (error) {
      if (!isCreditsError(error) || error.code !== 'invalid_request') throw error;
      return simple('alerts', `Those thresholds don't work: ${error.message}.`);
    }
  }
  const [current, links, balance] = await Promise.all([
    core.alertSettings.get(who.workspaceId),
    directory.chatLinks(who.workspaceId),
    ledger.balance(who.workspaceId),
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
