import type { Client, Message } from 'discord.js';
import { toDiscordMessage } from '../../render.js';
import { type ListenerDeps, NO_MENTIONS } from '../deps.js';

const DM_REPLY =
  'Ask me in a channel of your Discord server that is linked to your workspace: in a DM I cannot tell which workspace you mean.';

/** "@Credits how many left?" in a server channel; a DM is told to ask in a linked channel. */
export function mention(client: Client, { core }: ListenerDeps) {
  return (message: Message) => {
    if (message.author.bot || !client.user) return;
    const mentioned = message.mentions.users.has(client.user.id);
    if (!message.inGuild()) {
      void message.reply({ content: DM_REPLY, allowedMentions: NO_MENTIONS }).catch(() => {});
      return;
    }
    if (!mentioned) return;
    void (async () => {
      const answer = await core.answer({
        platform: 'discord',
        teamId: message.guildId,
        channelId: message.channelId,
        userId: message.author.id,
        text: message.content,
      });
      await message.reply({ ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS });
    })().catch((error: unknown) => console.error('discord mention failed:', (error as Error).message));
  };
}
