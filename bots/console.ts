import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Purchases } from '../application/purchases.js';
import { isConnectionError } from '../ledger/db.js';
import { loadConfig } from '../runtime/config.js';
import { type AppContext, createContext } from '../runtime/context.js';
import { embeddedDatabaseUrl } from '../runtime/embedded-postgres.js';
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
export async function startConsole(
  ctx: Pick<AppContext, 'sql' | 'ledger' | 'directory' | 'catalog'>,
  options: ConsoleOptions = {},
): Promise<void> {
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
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') break;
    if (text) {
      const answer = await core.answer({ platform: 'console', workspaceId, memberId, text });
      output.write(`${renderForTerminal(answer)}\n`);
    }
    rl.prompt();
  }
  rl.close();
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

// `npm run chat [-- --workspace demo --member demo-owner]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfig();
  // Without DATABASE_URL, talk to the embedded PostgreSQL that `npm start` runs (runtime/embedded-postgres.ts).
  const databaseUrl = config.DATABASE_URL ?? embeddedDatabaseUrl(config.EMBEDDED_POSTGRES_PORT);
  const ctx = createContext({ databaseUrl, catalogFile: config.CATALOG_FILE });
  startConsole(ctx, { workspace: arg('workspace'), member: arg('member') })
    .catch((error: unknown) => {
      console.error(
        isConnectionError(error)
          ? `No database at ${new URL(databaseUrl).host}: run \`npm start\` in another terminal (it starts the embedded PostgreSQL and seeds the demo workspace), or set DATABASE_URL.`
          : (error as Error).message,
      );
      process.exitCode = 1;
    })
    .finally(() => ctx.close());
}
