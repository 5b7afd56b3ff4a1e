import type { AnswerContext } from '../context.js';
import type { Answer } from '../types.js';

/** "hi" / "thanks": a short reply in kind, not the help text. */
export async function smallTalkAnswer(
  ctx: Pick<AnswerContext, 'who'>,
  params: { kind: 'greeting' | 'thanks' },
): Promise<Answer> {
  const first = ctx.who.member.name.split(' ')[0] ?? ctx.who.member.name;
  const text =
    params.kind === 'thanks'
      ? 'You’re welcome!'
      : `Hi ${first}! Ask me about your credits, e.g. "how many credits left?"`;
  return { intent: 'help', text, blocks: [{ type: 'section', text }], ephemeral: true };
}
