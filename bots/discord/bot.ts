import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { BotCore } from '../core/core.js';
import { registerListeners } from './listeners/index.js';
import { DiscordNotifier } from './notifier.js';

export { DiscordNotifier } from './notifier.js';

export interface DiscordBotOptions {
  core: BotCore;
  token: string;
  /** REST base (DISCORD_API_URL) without the version, e.g. https://discord.com/api; default Discord's. */
  apiUrl?: string;
  /** How long a slash command may compute before it defers and edits the reply later. */
  replyBudgetMs?: number;
}

export interface DiscordBot {
  client: Client;
  notifier: DiscordNotifier;
  /** Logs in over the gateway; resolves when the client is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Discord adapter: the gateway client, the listeners by kind (listeners/: /credits, buttons,
 * mentions — all answered by the core) and the notifier.
 */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { core } = options;
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    partials: [Partials.Channel],
    rest: options.apiUrl ? { api: options.apiUrl } : {},
  });
  const store = core.deps.ledger.deliveries;
  registerListeners(client, { core, messages: store, replyBudgetMs: options.replyBudgetMs ?? 2000 });
  return {
    client,
    notifier: new DiscordNotifier({ core, rest: client.rest, store }),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
    },
    async stop() {
      await client.destroy();
    },
  };
}
