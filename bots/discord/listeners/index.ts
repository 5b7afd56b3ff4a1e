import { type Client, Events } from 'discord.js';
import { buttonPress } from './buttons/index.js';
import { creditsCommand } from './commands/credits.js';
import type { ListenerDeps } from './deps.js';
import { mention } from './messages/mention.js';

export type { ListenerDeps } from './deps.js';

/** Routes the gateway's interactions and messages to the listeners, by kind. */
export function registerListeners(client: Client, deps: ListenerDeps): void {
  const onCommand = creditsCommand(deps);
  const onButton = buttonPress(deps);
  client.on(Events.InteractionCreate, (interaction) => {
    const work = interaction.isChatInputCommand()
      ? interaction.commandName === 'credits'
        ? onCommand(interaction)
        : undefined
      : interaction.isButton()
        ? onButton(interaction)
        : undefined;
    work?.catch((error: unknown) => console.error('discord interaction failed:', (error as Error).message));
  });
  client.on(Events.MessageCreate, mention(client, deps));
}
