import { type ButtonInteraction, MessageFlags } from 'discord.js';
import type { BotRequest } from '../../../core/types.js';
import { toDiscordMessage } from '../../render.js';
import { type ListenerDeps, NO_MENTIONS } from '../deps.js';

/**
 * A button that asks the core something as the presser: a clarification's choice (the answer
 * replaces the question) or "Buy <package>" (a private reply below).
 */
export async function askAsPresser(
  { core }: ListenerDeps,
  interaction: ButtonInteraction,
  request: Pick<BotRequest, 'choice' | 'command' | 'args'>,
  replace: boolean,
): Promise<void> {
  const answer = await core.answer({
    platform: 'discord',
    teamId: interaction.guildId ?? '',
    channelId: interaction.channelId,
    userId: interaction.user.id,
    ...request,
  });
  const message = { ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS };
  if (replace) await interaction.update(message);
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}
