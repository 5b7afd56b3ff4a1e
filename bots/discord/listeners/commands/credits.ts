import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { toDiscordMessage } from '../../render.js';
import { type ListenerDeps, NO_MENTIONS } from '../deps.js';

/** The subcommand and its options as the core's command and arguments. */
function commandOf(interaction: ChatInputCommandInteraction): { command: string; args: string } {
  const sub = interaction.options.getSubcommand(false) ?? 'balance';
  switch (sub) {
    case 'ask':
      return { command: '', args: interaction.options.getString('question') ?? '' };
    case 'estimate':
      return { command: sub, args: interaction.options.getString('items') ?? '' };
    case 'history':
      return { command: sub, args: interaction.options.getString('operation') ?? '' };
    case 'usage':
      return { command: sub, args: interaction.options.getString('by') === 'member' ? 'by member' : '' };
    case 'buy':
      return { command: sub, args: interaction.options.getString('package') ?? '' };
    case 'alerts': {
      const low = interaction.options.getInteger('low');
      const critical = interaction.options.getInteger('critical');
      const args = [low !== null ? `low ${low}` : '', critical !== null ? `critical ${critical}` : '']
        .join(' ')
        .trim();
      return { command: sub, args };
    }
    default:
      return { command: sub, args: '' };
  }
}

/** `/credits <subcommand>`: replies when the answer is ready within the budget, else defers and edits. */
export function creditsCommand({ core, replyBudgetMs }: ListenerDeps) {
  return async (interaction: ChatInputCommandInteraction) => {
    const pending = core.answer({
      platform: 'discord',
      teamId: interaction.guildId ?? '',
      channelId: interaction.channelId,
      userId: interaction.user.id,
      ...commandOf(interaction),
    });
    const quick = await Promise.race([pending, delay(replyBudgetMs).then(() => null)]);
    if (quick) {
      await interaction.reply({
        ...toDiscordMessage(quick),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply({ ...toDiscordMessage(await pending), allowedMentions: NO_MENTIONS });
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
