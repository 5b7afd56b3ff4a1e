import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import { directMessage } from './direct-message.js';

export function register(app: App, deps: ListenerDeps): void {
  app.message(directMessage(deps));
}
