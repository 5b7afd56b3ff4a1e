/**
 * Platform-neutral shapes of the conversational core. Adapters (Slack Block Kit, Discord embeds,
 * the terminal) render an Answer; they never decide what to say.
 */

export type ChatPlatform = 'slack' | 'discord';

/** Who is asking: a chat user in a team/channel, or (console, tests) a member named directly. */
export type Asker =
  | { platform: ChatPlatform; teamId: string; channelId?: string | null; userId: string }
  | { platform: 'console'; workspaceId: string; memberId: string };

export type BotRequest = Asker & {
  /** Free text (a mention, a DM, a console line). */
  text?: string;
  /** Slash-command subcommand (`balance`, `estimate`, …) and the rest of the line. */
  command?: string;
  args?: string;
  /** The id of a clarification choice that was pressed (a button) or typed (its number, in the console). */
  choice?: string;
  now?: Date;
};

/** What was said, as the dispatcher receives it (after identification and the length cap). */
export type Said =
  | { kind: 'text'; text: string }
  | { kind: 'command'; command: string; args: string }
  | { kind: 'choice'; id: string };

/**
 * One candidate reading of an unclear question. `id` is opaque to the adapters and made by the
 * dispatcher, self-contained (the press may reach another process, or come after a restart), at most
 * MAX_CHOICE_ID characters of printable ASCII; it is untrusted when it comes back.
 */
export interface Choice {
  id: string;
  label: string;
}

/** "Did you mean …?" with two or three choices: buttons in Slack and Discord, numbers in the console. */
export interface Clarification {
  question: string;
  choices: Choice[];
}

/** Discord custom ids hold 100 characters; `credits_choose_N:` takes the rest. */
export const MAX_CHOICE_ID = 80;
/** Action ids of choice buttons are `credits_choose_1` … `_3` (Slack wants them unique in a block). */
export const CHOOSE_ACTION = 'credits_choose';

export function isChooseAction(actionId: string): boolean {
  return /^credits_choose_[1-3]$/.test(actionId);
}

export interface Field {
  label: string;
  value: string;
}

export interface Button {
  actionId: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'section'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'context'; text: string }
  | { type: 'image'; url: string; alt: string }
  | { type: 'divider' };

export type Intent =
  | 'balance'
  | 'renewal'
  | 'runway'
  | 'why'
  | 'afford'
  | 'estimate'
  | 'history'
  | 'usage'
  | 'buy'
  | 'alerts'
  | 'help'
  | 'clarify'
  | 'refusal'
  | 'error'
  | 'approval'
  | 'signIn'
  | 'budgets'
  | 'refund'
  | 'notification';

/** A file sent with an answer (a chart): Slack uploads it, Discord attaches it, the console saves it. */
export interface AnswerFile {
  name: string;
  png: Buffer;
  width: number;
  height: number;
  alt: string;
}

export interface Answer {
  intent: Intent;
  /** Plain-text rendering of the whole answer (notifications, fallbacks, the console). */
  text: string;
  blocks: Block[];
  /** Only the asker should see it (Slack ephemeral, Discord flag 64). */
  ephemeral?: boolean;
  /** Accent for embeds/attachments: good (green), warning (amber), danger (red). */
  tone?: 'info' | 'good' | 'warning' | 'danger';
  /** Images that go with the answer (the usage chart). */
  files?: AnswerFile[];
  /** Set when the answer is a question back: the choices, also shown as a `buttons` block. */
  clarification?: Clarification;
}

export const APPROVE_ACTION = 'credits_purchase_approve';
/** A one-tap "Buy <package>" (value: the package key): requested as the presser, like `buy <package>`. */
export const BUY_ACTION = 'credits_buy';
export const REJECT_ACTION = 'credits_purchase_reject';
/** Approve / Reject on a budget-raise approval message (value: the raise id). */
export const RAISE_APPROVE_ACTION = 'credits_raise_approve';
export const RAISE_REJECT_ACTION = 'credits_raise_reject';
