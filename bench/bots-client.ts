/**
 * The load side of bench/bots.ts: signed Slack `/credits …` commands, sent from a child process
 * of their own (as Slack is: it does not share the bot's event loop), and the questions asked.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { slackSender } from '../test/bots/fakes/slack.js';
import { type LoadResult, load } from './support.js';

export const SECRET = 'bench-signing-secret-0123456789';
export const TEAM = 'T_BENCH';
export const CHANNEL = 'C_BENCH';
export const USERS = 50;

/**
 * Questions in words, as people type them after `/credits`: every one goes through the
 * understanding layer (scan, classifier, slots) before the core answers it. Members are named
 * "Member 0" … "Member 49" in the bench's workspaces.
 */
export const QUESTIONS = [
  'balance pls',
  'how many credits do we have left?',
  'credits?',
  'what did Member 7 spend this week',
  'who used the most credits this week',
  'how much would 3 veo videos cost',
  'can we afford 10 flux 2 pro images',
  'how much did we spend yesterday',
  'what plan are we on',
  'is auto top-up on?',
  'when do our credits expire',
  'how long will our credits last',
] as const;

/** `balance`: `/credits balance`; `words`: the QUESTIONS in turn; `floor`: `/credits balance` to a bare Bolt app. */
export type AskMode = 'balance' | 'words' | 'floor';

export interface ClientJob {
  url: string;
  responseUrl: string;
  team: string;
  clients: number;
  ms: number;
  strict: boolean;
  mode: AskMode;
}

export type ClientResult = LoadResult & { working: number };

/** One signed `/credits <text>`; throws unless the ack carries an answer (or, when not strict, a deferral). */
export async function askSlack(
  send: ReturnType<typeof slackSender>,
  responseUrl: string,
  client: number,
  text: string,
  team = TEAM,
  strict = true,
): Promise<{ kind: 'answer' | 'working'; text: string }> {
  const res = await send.command({
    token: 'x',
    team_id: team,
    team_domain: 'bench',
    channel_id: CHANNEL,
    channel_name: 'credits',
    user_id: `U${client % USERS}`,
    user_name: `m${client}`,
    command: '/credits',
    text,
    api_app_id: 'ABENCH',
    response_url: responseUrl,
    trigger_id: `t${client}`,
  });
  const body = (await res.json()) as { text?: string };
  const working = body.text?.includes('Working on it') ?? false;
  if (res.status !== 200 || (strict && working) || (!working && !body.text?.trim())) {
    throw new Error(`unexpected answer ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return { kind: working ? 'working' : 'answer', text: body.text ?? '' };
}

/** The text the `i`-th request of a client sends in a mode (clients start at different questions). */
export function questionFor(mode: AskMode, client: number, i: number): string {
  return mode === 'words' ? QUESTIONS[(client + i) % QUESTIONS.length]! : 'balance';
}

/** Runs a load in a child process (`--client`), which prints its result as JSON. */
export function runClient(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client'], {
      env: { ...process.env, BOTS_BENCH_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`load client exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

async function client(): Promise<void> {
  const job = JSON.parse(process.env.BOTS_BENCH_JOB ?? '{}') as ClientJob;
  const send = slackSender(job.url, SECRET);
  let working = 0;
  const result = await load(job.clients, job.ms, async (c, i) => {
    const text = questionFor(job.mode, c, i);
    const r = await askSlack(send, job.responseUrl, c, text, job.team, job.strict);
    if (r.kind === 'working') working++;
    else if (job.mode !== 'words' && !r.text.includes('credits'))
      throw new Error(`not a balance: ${r.text.slice(0, 200)}`);
  });
  console.log(JSON.stringify({ ...result, working }));
}

if (process.argv.includes('--client')) {
  client().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
