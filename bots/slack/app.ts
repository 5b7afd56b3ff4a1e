import type { RequestListener } from 'node:http';
import { type App, LogLevel } from '@slack/bolt';
import type { BotCore } from '../core/core.js';
import { registerListeners } from './listeners/index.js';
import { SlackNotifier } from './notifier.js';
import { createSlackApp } from './receiver.js';
import { answerOnce } from './replays.js';

export { SlackNotifier } from './notifier.js';
export { slackApiBase } from './receiver.js';

export interface SlackBotOptions {
  core: BotCore;
  token: string;
  /** Required for the HTTP receiver (request signatures); not used in Socket Mode. */
  signingSecret?: string;
  /** When set, the app connects over Socket Mode instead of receiving HTTP requests. */
  appToken?: string;
  /** Web API base (SLACK_API_URL), e.g. a proxy or a test server; default https://slack.com/api/. */
  apiUrl?: string;
  /** Path of the events endpoint when mounted on the API server. */
  path?: string;
  /** How long a slash command may compute before it acks "working on it" and answers via respond. */
  ackBudgetMs?: number;
  logLevel?: LogLevel;
}

export interface SlackBot {
  app: App;
  /** The Node request listener the API server mounts at `path` (HTTP mode; undefined in Socket Mode). */
  listener?: RequestListener;
  path: string;
  notifier: SlackNotifier;
  /** Socket Mode: connects; HTTP mode: nothing to start (the API server serves the listener). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Slack adapter: the receiver (receiver.ts), the listeners by kind (listeners/: the slash
 * command, mentions, DMs, buttons, App Home — all answered by the core) and the notifier.
 */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { core } = options;
  const path = options.path ?? '/slack/events';
  const { app, listener } = createSlackApp({
    token: options.token,
    signingSecret: options.signingSecret,
    appToken: options.appToken,
    apiUrl: options.apiUrl,
    path,
    logLevel: options.logLevel ?? LogLevel.WARN,
  });
  const store = core.deps.ledger.deliveries;
  app.use(answerOnce(core.deps.ledger.chatRequests));
  registerListeners(app, { core, messages: store, ackBudgetMs: options.ackBudgetMs ?? 2000 });
  app.error(async (error) => {
    console.error('slack bot error:', error.message);
  });
  return {
    app,
    listener,
    path,
    notifier: new SlackNotifier({ core, client: app.client, store }),
    async start() {
      if (options.appToken) await app.start();
    },
    async stop() {
      if (options.appToken) await app.stop();
    },
  };
}
