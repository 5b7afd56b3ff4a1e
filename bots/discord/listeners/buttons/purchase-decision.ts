import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { pressApprovalButton, pressRaiseButton } from '../../../core/approval-flow.js';
import { toDiscordMessage } from '../../render.js';
import { type ListenerDeps, NO_MENTIONS } from '../deps.js';

/** Approve / Reject on an approval message: decided as the presser; the message updates for everyone. */
export async function purchaseDecision(
  { core, messages }: ListenerDeps,
  interaction: ButtonInteraction,
  decision: 'approve' | 'reject',
  purchaseId: string,
  press: typeof pressApprovalButton = pressApprovalButton,
): Promise<void> {
  // The interaction must be answered once (reply or update); later changes edit the message.
  let answered: 'none' | 'replied' | 'updated' = 'none';
  await press({
    core,
    messages,
    asker: {
      platform: 'discord',
      teamId: interaction.guildId ?? '',
      channelId: interaction.channelId,
      userId: interaction.user.id,
    },
    purchaseId,
    decision,
    message: {
      where: { channel: interaction.channelId, messageId: interaction.message.id },
      async tellPresser(answer) {
        const message = { ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS };
        if (answered === 'none') await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
        else await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
        if (answered === 'none') answered = 'replied';
      },
      async show(answer) {
        const message = { ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS };
        if (answered === 'none') {
          await interaction.update(message);
          answered = 'updated';
        } else if (answered === 'updated') await interaction.editReply(message);
        else await interaction.message.edit(message);
      },
    },
  });
}

/** The same buttons on a budget raise's approval message. */
export function raiseDecision(
  deps: ListenerDeps,
  interaction: ButtonInteraction,
  decision: 'approve' | 'reject',
  raiseId: string,
): Promise<void> {
  return purchaseDecision(deps, interaction, decision, raiseId, pressRaiseButton);
}
