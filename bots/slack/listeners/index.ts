import type { App } from '@slack/bolt';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import type { ListenerDeps } from './deps.js';
import * as events from './events/index.js';
import * as messages from './messages/index.js';

export type { ListenerDeps } from './deps.js';

/** Registers every listener, by kind (the Bolt layout: listeners/<kind>/ each with `register`). */
export function registerListeners(app: App, deps: ListenerDeps): void {
  commands.register(app, deps);
  events.register(app, deps);
  messages.register(app, deps);
  actions.register(app, deps);
}
