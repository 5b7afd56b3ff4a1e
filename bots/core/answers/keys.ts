import type { AnswerContext } from '../context.js';
import { day, relative } from '../format.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

/** "which API keys do we have?": names, scopes and last use, never a secret (owners and admins). */
export async function keysAnswer(ctx: Pick<AnswerContext, 'who' | 'now' | 'keys'>): Promise<Answer> {
  const { who, now } = ctx;
  const keys = (await ctx.keys.list()).filter((k) => !k.revokedAt);
  if (keys.length === 0) return simple('help', `${who.workspaceName} has no active API keys.`);
  const lines = keys.map((k) => {
    const used = k.lastUsedAt ? `last used ${relative(k.lastUsedAt, now)}` : 'never used';
    const expires = k.expiresAt ? `, expires ${day(k.expiresAt, now)}` : '';
    const member = k.memberId ? `, acts as ${k.memberId}` : '';
    return `• ${k.name} (${k.id}): ${k.scopes.join(', ')}; ${used}${expires}${member}`;
  });
  const text = [`API keys of ${who.workspaceName} (secrets are never shown):`, ...lines].join('\n');
  return { intent: 'help', text, blocks: [{ type: 'section', text }], ephemeral: true };
}
