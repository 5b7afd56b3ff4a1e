import { createInterface } from 'node:readline';
import type { Purchases } from '../application/purchases.js';
import type { CoreServices } from '../application/services.js';
import { BotCore } from './core/core.js';
import type { Answer } from './core/types.js';

export interface ConsoleOptions {
  workspace?: string;
  member?: string;
  purchases?: Purchases;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Print the intro line (default true). */
  banner?: boolean;
}

/** Plain-text rendering of an answer for a terminal. */
export function renderForTerminal(answer: Answer): string {
  return answer.text.replace(/`/g, '');
}

/**
 * A terminal REPL talking to the same conversational core as the Slack and Discord bots, as a
 * member named directly (default: the demo workspace's owner that `npm start` seeds). Resolves
 * when the input ends or the user types `exit`.
 */
export async function startConsole(ctx: CoreServices, options: ConsoleOptions = {}): Promise<void> {
  const workspaceId = options.workspace ?? 'demo';
  const memberId = options.member ?? 'demo-owner';
  const output = options.output ?? process.stdout;
  const core = new BotCore({ ...ctx, purchases: options.purchases });
  const who = await core.identify({ platform: 'console', workspaceId, memberId });
  if (!who.ok) {
    output.write(`${renderForTerminal(who.answer)}\n`);
    return;
  }
  if (options.banner !== false) {
    output.write(
      `Credits console — ${who.identity.member.name} (${who.identity.member.role}) in ${who.identity.workspaceName}.\n` +
        'Ask anything: "how many credits left?", "estimate 3 veo 3.1 videos", "history", "help". Type exit to leave.\n',
    );
  }
  const rl = createInterface({
    input: options.input ?? process.stdin,
    output,
    terminal: false,
    prompt: 'credits> ',
  });
  // Node 24 throws on prompt() once the input has ended (readline closed while an answer was computed).
  let closed = false;
  rl.once('close', () => {
    closed = true;
  });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') break;
    if (text) {
      const answer = await core.answer({ platform: 'console', workspaceId, memberId, text });
      output.write(`${renderForTerminal(answer)}\n`);
    }
    if (!closed) rl.prompt();
  }
  rl.close();
}
