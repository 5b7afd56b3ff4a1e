import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import type { Purchases } from '../application/purchases.js';
import type { CoreServices } from '../application/services.js';
import { BotCore } from './core/core.js';
import type { Answer, Choice } from './core/types.js';

export interface ConsoleOptions {
  workspace?: string;
  member?: string;
  purchases?: Purchases;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Print the intro line (default true). */
  banner?: boolean;
  /** Where charts are written (the composition root passes `<CREDITS_DATA_DIR>/charts`); without it they are not saved. */
  chartsDir?: string;
  /** The core to ask (default: one built on `ctx` with `purchases`). */
  core?: BotCore;
  /** Where sign-in links to the web console point (PUBLIC_URL when set, else the API's own address). */
  publicUrl?: string;
  /** The console runs inside `npm start` (the service stops with this process), not as `credits chat`. */
  insideService?: boolean;
}

/** What leaving the console leaves behind: the service is not stopped by `exit`. */
export function exitNote(insideService: boolean): string {
  return insideService
    ? 'Left the console. The Credits service (API, worker, database) is still running here: press Ctrl-C to stop it.'
    : 'Left the console. The Credits service keeps running: stop it with Ctrl-C in the terminal where npm start runs.';
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
  const core =
    options.core ?? new BotCore({ ...ctx, purchases: options.purchases, publicUrl: options.publicUrl });
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
  // The choices of the last question back: a typed number picks one.
  let choices: Choice[] = [];
  let left = false;
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') {
      left = true;
      break;
    }
    if (text) {
      const now = core.deps.ledger.now();
      const picked = /^\d{1,2}$/.test(text) ? choices[Number(text) - 1] : undefined;
      const answer = await core.answer({
        platform: 'console',
        workspaceId,
        memberId,
        ...(picked ? { choice: picked.id } : { text }),
        now,
      });
      choices = answer.clarification?.choices ?? [];
      output.write(`${renderForTerminal(answer)}\n`);
      if (choices.length > 0) output.write(`Type ${choices.map((_, i) => i + 1).join(', ')} to choose.\n`);
      for (const line of await saveFiles(answer, options.chartsDir, workspaceId, now))
        output.write(`${line}\n`);
    }
    if (!closed) rl.prompt();
  }
  rl.close();
  if (left) output.write(`${exitNote(options.insideService ?? false)}\n`);
}

/**
 * A terminal shows no pictures: an answer's charts are written to `<dir>/usage-<ws>-<date>.png`
 * (today's chart replaces the morning's) and their paths printed.
 */
async function saveFiles(
  answer: Answer,
  dir: string | undefined,
  workspaceId: string,
  now: Date,
): Promise<string[]> {
  if (!answer.files?.length) return [];
  if (!dir) return ['(a chart goes with this answer; start the console with a data folder to save it)'];
  await mkdir(dir, { recursive: true });
  const lines: string[] = [];
  for (const file of answer.files) {
    const stem = file.name.replace(/\.png$/, '');
    const path = join(dir, `${stem}-${safeName(workspaceId)}-${now.toISOString().slice(0, 10)}.png`);
    // Written beside and renamed, so a reader never sees half a PNG.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, file.png);
    await rename(partial, path);
    const shown = relative(process.cwd(), path);
    lines.push(`Chart (${file.width}×${file.height}): ${shown.startsWith('..') ? path : shown}`);
  }
  return lines;
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}
