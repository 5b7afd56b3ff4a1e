import { isCreditsError } from '../../ledger/errors.js';
import { type Answer, CHOOSE_ACTION, type Choice, MAX_CHOICE_ID } from './types.js';

const EXAMPLES = [
  '`balance` — total, by type, what expires when, runway',
  '`how many credits left?` · `when do our monthly credits reset?` · `why is our balance 840?`',
  '`estimate 3 veo 3.1 videos and 20 flux 2 dev images`',
  '`estimate a 2-week campaign on 3 platforms, 5 posts a week`',
  '`do we have enough for 10 articles?`',
  '`history` · `history images` · `usage`',
  '`buy medium` · `alerts` · `alerts low 200 critical 20`',
  '`pending` · `approve purchase-…` · `reject purchase-…` (owners and admins)',
  '`web` — a sign-in link to the web console, sent only to you',
];

export const NO_WORKER =
  'Purchases need the worker: the purchase flow runs on Temporal and this bot was started without it. Ask an operator to start the worker (npm start does).';

export function refuse(text: string): { ok: false; answer: Answer } {
  return { ok: false, answer: refusal(text) };
}

export function refusal(text: string): Answer {
  return { intent: 'refusal', text, blocks: [{ type: 'section', text }], ephemeral: true, tone: 'warning' };
}

export function simple(intent: Answer['intent'], text: string): Answer {
  return { intent, text, blocks: [{ type: 'section', text }] };
}

export function help(reason?: string): Answer {
  const intro = reason
    ? `${reason} Here is what I can answer:`
    : 'I answer questions about your workspace’s credits:';
  return {
    intent: 'help',
    text: [intro, ...EXAMPLES.map((e) => `• ${e}`)].join('\n'),
    blocks: [
      { type: 'section', text: intro },
      { type: 'section', text: EXAMPLES.map((e) => `• ${e}`).join('\n') },
    ],
    ephemeral: true,
  };
}

/** A refusal the domain explained (its message is for people), or an apology with a reference for the log. */
export function failure(error: unknown, log?: (message: string, error?: unknown) => void): Answer {
  if (isCreditsError(error)) {
    return simple(
      'error',
      error.code === 'invalid_request' ? `That doesn't work: ${error.message}` : error.message,
    );
  }
  const ref = Math.random().toString(36).slice(2, 8);
  (log ?? ((m, e) => console.error(m, e)))(`bot answer failed (ref ${ref})`, error);
  const text = `Something went wrong on our side (ref ${ref}); please try again in a moment.`;
  return { intent: 'error', text, blocks: [{ type: 'section', text }], ephemeral: true, tone: 'danger' };
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A question back instead of a guess: the choices as buttons (Slack, Discord) and as numbered
 * lines (the console, notifications' plain text). Throws on ids an adapter could not carry.
 */
export function clarify(question: string, choices: Choice[]): Answer {
  if (choices.length < 2 || choices.length > 3) throw new Error('a clarification offers 2 or 3 choices');
  for (const c of choices) {
    if (c.id.length === 0 || c.id.length > MAX_CHOICE_ID || !/^[\x20-\x7e]+$/.test(c.id))
      throw new Error(
        `choice id ${JSON.stringify(c.id)} is not 1-${MAX_CHOICE_ID} printable ASCII characters`,
      );
  }
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`);
  return {
    intent: 'clarify',
    text: [question, ...lines].join('\n'),
    blocks: [
      { type: 'section', text: question },
      {
        type: 'buttons',
        buttons: choices.map((c, i) => ({
          actionId: `${CHOOSE_ACTION}_${i + 1}`,
          label: c.label,
          value: c.id,
        })),
      },
    ],
    ephemeral: true,
    clarification: { question, choices },
  };
}
