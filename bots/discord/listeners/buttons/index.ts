import type { ButtonInteraction } from 'discord.js';
import { APPROVE_ACTION, REJECT_ACTION } from '../../../core/types.js';
import { parseCustomId } from '../../render.js';
import type { ListenerDeps } from '../deps.js';
import { purchaseDecision } from './purchase-decision.js';

/** A button press, by the action its custom id names. */
export function buttonPress(deps: ListenerDeps) {
  return async (interaction: ButtonInteraction) => {
    const { actionId, value } = parseCustomId(interaction.customId);
    if (actionId === APPROVE_ACTION || actionId === REJECT_ACTION)
      await purchaseDecision(deps, interaction, actionId === APPROVE_ACTION ? 'approve' : 'reject', value);
  };
}
