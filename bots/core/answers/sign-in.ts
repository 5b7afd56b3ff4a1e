import { principalOf } from '../access.js';
import type { CoreDeps } from '../core.js';
import type { Identity } from '../identity.js';
import { simple } from '../replies.js';
import type { Answer, ChatPlatform } from '../types.js';

/**
 * `/credits web`: a single-use sign-in link to the web console for the asker alone (ephemeral in
 * Slack and Discord: whoever else reads the channel must not get it).
 */
export async function signInAnswer(
  deps: Pick<CoreDeps, 'webAccess' | 'publicUrl'>,
  who: Identity,
  platform: ChatPlatform | 'console',
): Promise<Answer> {
  if (!deps.webAccess) {
    return { ...simple('signIn', 'The web console is not served here.'), ephemeral: true };
  }
  const link = await deps.webAccess.createLoginLink(
    principalOf(who, platform),
    who.workspaceId,
    who.member.id,
    deps.publicUrl ?? 'http://127.0.0.1:3000',
  );
  const text = `Your sign-in link to the ${who.workspaceName} console (works once, for 10 minutes; only you can see it): ${link.url}`;
  return { ...simple('signIn', text), ephemeral: true };
}
