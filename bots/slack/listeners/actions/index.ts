import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  APPROVE_ACTION,
  BUY_ACTION,
  RAISE_APPROVE_ACTION,
  RAISE_REJECT_ACTION,
  REJECT_ACTION,
} from '../../../core/types.js';
import type { ListenerDeps } from '../deps.js';
import { buy, choice } from './choice.js';
import { purchaseDecision, raiseDecision } from './purchase-decision.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION, purchaseDecision(deps, 'approve'));
  app.action<BlockAction<ButtonAction>>(REJECT_ACTION, purchaseDecision(deps, 'reject'));
  app.action<BlockAction<ButtonAction>>(RAISE_APPROVE_ACTION, raiseDecision(deps, 'approve'));
  app.action<BlockAction<ButtonAction>>(RAISE_REJECT_ACTION, raiseDecision(deps, 'reject'));
  app.action<BlockAction<ButtonAction>>(/^credits_choose_[1-3]$/, choice(deps));
  app.action<BlockAction<ButtonAction>>(BUY_ACTION, buy(deps));
}
