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
  now?: Date;
};

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
  | 'refusal'
  | 'error'
  | 'approval'
  | 'signIn'
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
}

export const APPROVE_ACTION = 'credits_purchase_approve';
export const REJECT_ACTION = 'credits_purchase_reject';
