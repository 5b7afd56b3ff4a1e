import type { AnswerContext } from '../context.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

/**
 * `/credits web`: a single-use sign-in link to the web console for the asker alone (ephemeral in
 * Slack and Discord: whoever else reads the channel must not get it).
 */
export async function signInAnswer(ctx: Pick<AnswerContext, 'who' | 'signInLink'>): Promise<Answer> {
  if (!ctx.signInLink) return { ...simple('signIn', 'The web console is not served here.'), ephemeral: true };
  const link = await ctx.signInLink();
  const text = `Your sign-in link to the ${ctx.who.workspaceName} console (works once, for 10 minutes; only you can see it): ${link.url}`;
  return { ...simple('signIn', text), ephemeral: true };
}
