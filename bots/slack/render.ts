import type { Answer, Block } from '../core/types.js';

/** Slack mrkdwn needs &, < and > escaped; everything else the core writes is valid mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clamp(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

type SlackBlock = Record<string, unknown>;

const mrkdwn = (text: string, max = 3000) => ({ type: 'mrkdwn', text: clamp(escapeMrkdwn(text), max) });
const plain = (text: string, max: number) => ({ type: 'plain_text', text: clamp(text, max), emoji: true });

/** Block Kit for an answer (limits respected: 50 blocks, 10 fields per section, 3000 characters of text). */
export function toBlockKit(answer: Answer): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (const block of answer.blocks) out.push(...convert(block));
  return out.slice(0, 50);
}

function convert(block: Block): SlackBlock[] {
  switch (block.type) {
    case 'header':
      return [{ type: 'header', text: plain(block.text, 150) }];
    case 'section':
      return block.text.trim() ? [{ type: 'section', text: mrkdwn(block.text) }] : [];
    case 'fields': {
      const sections: SlackBlock[] = [];
      for (let i = 0; i < block.fields.length; i += 10) {
        sections.push({
          type: 'section',
          fields: block.fields.slice(i, i + 10).map((f) => mrkdwn(`*${f.label}*\n${f.value}`, 2000)),
        });
      }
      return sections;
    }
    case 'buttons':
      return [
        {
          type: 'actions',
          elements: block.buttons.slice(0, 25).map((b) => ({
            type: 'button',
            action_id: b.actionId,
            text: plain(b.label, 75),
            value: clamp(b.value, 2000),
            ...(b.style ? { style: b.style } : {}),
          })),
        },
      ];
    case 'context':
      return block.text.trim() ? [{ type: 'context', elements: [mrkdwn(block.text)] }] : [];
    case 'image':
      return [{ type: 'image', image_url: block.url, alt_text: clamp(block.alt, 2000) }];
    case 'divider':
      return [{ type: 'divider' }];
  }
}

/** The notification/fallback text of a message (shown in notifications and by clients without blocks). */
export function fallbackText(answer: Answer): string {
  return clamp(escapeMrkdwn(answer.text), 3000);
}
