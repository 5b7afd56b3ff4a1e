import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Notifier } from '../application/notifications.js';
import type { Purchases } from '../application/purchases.js';
import type { RefundFlows } from '../application/refunds.js';
import type { CoreServices } from '../application/services.js';
import { BotCore } from './core/core.js';
import { createDiscordBot, type DiscordBot, DiscordNotifier } from './discord/bot.js';
import { createSlackBot, type SlackBot, SlackNotifier } from './slack/app.js';

export { startConsole } from './console.js';
export { BotCore } from './core/core.js';
export { renderNotification } from './core/render-notification.js';
export type { Answer, BotRequest } from './core/types.js';
export { DiscordNotifier } from './discord/bot.js';
export { SlackNotifier } from './slack/app.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The environment names the bots read (a subset of runtime/config.ts `Config`). */
export interface BotsConfig {
  SLACK_BOT_TOKEN?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_APP_TOKEN?: string;
  SLACK_API_URL?: string;
  DISCORD_TOKEN?: string;
  DISCORD_API_URL?: string;
  /** Where `/credits web` links point. */
  PUBLIC_URL?: string;
}

export interface StartedBots {
  core: BotCore;
  slack?: SlackBot;
  discord?: DiscordBot;
  /** Listeners to serve on the API server's port (`startApiServer({ mounts })`): the Slack receiver in HTTP mode. */
  mounts: { path: string; listener: Listener }[];
  /** Notifiers of the started platforms, for the worker's notify activities. */
  notifiers: Notifier[];
  stop(): Promise<void>;
}

/**
 * Starts Slack when SLACK_BOT_TOKEN is set (HTTP receiver with SLACK_SIGNING_SECRET, or Socket Mode
 * with SLACK_APP_TOKEN) and Discord when DISCORD_TOKEN is set. In HTTP mode the Slack listener is
 * handed to `mount` (and returned in `mounts`) for the API server to serve at /slack/events.
 */
export async function startBots(
  ctx: CoreServices,
  config: BotsConfig,
  options: {
    purchases?: Purchases;
    /** Starts a refund's flow at once (without it, the maintenance sweep starts it). */
    refundFlows?: RefundFlows;
    mount?: (path: string, listener: Listener) => void;
    core?: BotCore;
  } = {},
): Promise<StartedBots> {
  const core =
    options.core ??
    new BotCore({
      ...ctx,
      purchases: options.purchases,
      refundFlows: options.refundFlows,
      publicUrl: config.PUBLIC_URL,
    });
  const started: StartedBots = { core, mounts: [], notifiers: [], stop: async () => {} };
  if (config.SLACK_BOT_TOKEN) {
    if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
      throw new Error(
        'SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP) nor SLACK_APP_TOKEN (Socket Mode) is',
      );
    }
    const slack = createSlackBot({
      core,
      token: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
      apiUrl: config.SLACK_API_URL,
    });
    await slack.start();
    if (slack.listener) {
      started.mounts.push({ path: slack.path, listener: slack.listener });
      options.mount?.(slack.path, slack.listener);
    }
    started.slack = slack;
    started.notifiers.push(slack.notifier);
  }
  if (config.DISCORD_TOKEN) {
    const discord = createDiscordBot({ core, token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL });
    await discord.start();
    started.discord = discord;
    started.notifiers.push(discord.notifier);
  }
  started.stop = async () => {
    await Promise.allSettled([started.slack?.stop(), started.discord?.stop()]);
  };
  return started;
}

/**
 * Notifiers for a process that only sends (the worker): Slack when SLACK_BOT_TOKEN is set, Discord
 * when DISCORD_TOKEN is set. No receiver or gateway connection is opened.
 */
export function createChatNotifiers(
  ctx: CoreServices,
  config: BotsConfig,
  options: { purchases?: Purchases } = {},
): Notifier[] {
  const core = new BotCore({ ...ctx, purchases: options.purchases });
  const out: Notifier[] = [];
  if (config.SLACK_BOT_TOKEN)
    out.push(new SlackNotifier({ core, token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL }));
  if (config.DISCORD_TOKEN)
    out.push(new DiscordNotifier({ core, token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL }));
  return out;
}
