import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import { creditsCommand } from './credits.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(/^\/credits/, creditsCommand(deps));
}
