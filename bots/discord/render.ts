import type { Answer, Block } from '../core/types.js';

/** Discord's documented embed limits. */
const LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048 };

const COLORS: Record<NonNullable<Answer['tone']>, number> = {
  info: 0x5865f2,
  good: 0x57f287,
  warning: 0xfee75c,
  danger: 0xed4245,
};

function clamp(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  image?: { url: string };
}

export interface DiscordButtonRow {
  type: 1;
  components: { type: 2; style: 1 | 2 | 3 | 4; label: string; custom_id: string }[];
}

/** The custom_id of a button carries both the action and its value (Discord has no separate value). */
export function customId(actionId: string, value: string): string {
  return clamp(`${actionId}:${value}`, 100);
}

export function parseCustomId(id: string): { actionId: string; value: string } {
  const at = id.indexOf(':');
  return at < 0 ? { actionId: id, value: '' } : { actionId: id.slice(0, at), value: id.slice(at + 1) };
}

/** A file sent with the message (discord.js AttachmentPayload); the embed shows it as `attachment://<name>`. */
export interface DiscordFile {
  attachment: Buffer;
  name: string;
  description: string;
}

export interface DiscordMessage {
  embeds: DiscordEmbed[];
  components: DiscordButtonRow[];
  files?: DiscordFile[];
}

/**
 * One embed per answer: header → title, sections → description, fields, context → footer; an
 * answer's first file (the chart) is attached and shown as the embed's image.
 */
export function toDiscordMessage(answer: Answer): DiscordMessage {
  const embed: DiscordEmbed = { color: COLORS[answer.tone ?? 'info'] };
  const description: string[] = [];
  const footer: string[] = [];
  const fields: NonNullable<DiscordEmbed['fields']> = [];
  const rows: DiscordButtonRow[] = [];
  for (const block of answer.blocks as Block[]) {
    switch (block.type) {
      case 'header':
        embed.title = clamp(block.text, LIMITS.title);
        break;
      case 'section':
        if (block.text.trim()) description.push(block.text);
        break;
      case 'fields':
        for (const f of block.fields) {
          fields.push({
            name: clamp(f.label, LIMITS.fieldName),
            value: clamp(f.value || '—', LIMITS.fieldValue),
            inline: f.value.length < 60,
          });
        }
        break;
      case 'context':
        if (block.text.trim()) footer.push(block.text);
        break;
      case 'image':
        embed.image = { url: block.url };
        break;
      case 'buttons':
        rows.push({
          type: 1,
          components: block.buttons.slice(0, 5).map((b) => ({
            type: 2,
            style: b.style === 'primary' ? 3 : b.style === 'danger' ? 4 : 2,
            label: clamp(b.label, 80),
            custom_id: customId(b.actionId, b.value),
          })),
        });
        break;
      case 'divider':
        break;
    }
  }
  if (description.length > 0) embed.description = clamp(description.join('\n\n'), LIMITS.description);
  if (fields.length > 0) embed.fields = fields.slice(0, LIMITS.fields);
  if (footer.length > 0) embed.footer = { text: clamp(footer.join(' · ').replace(/`/g, ''), LIMITS.footer) };
  const files = (answer.files ?? []).slice(0, 10).map((f) => ({
    attachment: f.png,
    name: f.name,
    description: clamp(f.alt, 1024),
  }));
  if (files[0]) embed.image = { url: `attachment://${files[0].name}` };
  return { embeds: [embed], components: rows.slice(0, 5), ...(files.length > 0 ? { files } : {}) };
}
