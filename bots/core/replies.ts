import { isCreditsError } from '../../ledger/errors.js';
import type { Answer } from './types.js';

const EXAMPLES = [
  '`balance` — total, by type, what expires when, runway',
  '`how many credits left?` · `when do our monthly credits reset?` · `why is our balance 840?`',
  '`estimate 3 veo 3.1 videos and 20 flux 2 dev images`',
  '`estimate a 2-week campaign on 3 platforms, 5 posts a week`',
  '`do we have enough for 10 articles?`',
  '`history` · `history images` · `usage`',
  '`buy medium` · `alerts` · `alerts low 200 critical 20`',
  '`pending` · `approve purchase-…` · `reject purchase-…` (owners and admins)',
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
