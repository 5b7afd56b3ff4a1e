import type { ButtonInteraction } from 'discord.js';
import {
  APPROVE_ACTION,
  BUY_ACTION,
  isChooseAction,
  RAISE_APPROVE_ACTION,
  RAISE_REJECT_ACTION,
  REJECT_ACTION,
} from '../../../core/types.js';
import { parseCustomId } from '../../render.js';
import type { ListenerDeps } from '../deps.js';
import { askAsPresser } from './ask.js';
import { purchaseDecision, raiseDecision } from './purchase-decision.js';

/** A button press, by the action its custom id names. */
export function buttonPress(deps: ListenerDeps) {
  return async (interaction: ButtonInteraction) => {
    const { actionId, value } = parseCustomId(interaction.customId);
    if (actionId === APPROVE_ACTION || actionId === REJECT_ACTION)
      await purchaseDecision(deps, interaction, actionId === APPROVE_ACTION ? 'approve' : 'reject', value);
    else if (actionId === RAISE_APPROVE_ACTION || actionId === RAISE_REJECT_ACTION)
      await raiseDecision(deps, interaction, actionId === RAISE_APPROVE_ACTION ? 'approve' : 'reject', value);
    else if (isChooseAction(actionId)) await askAsPresser(deps, interaction, { choice: value }, true);
    else if (actionId === BUY_ACTION)
      await askAsPresser(deps, interaction, { command: 'buy', args: value }, false);
  };
}
