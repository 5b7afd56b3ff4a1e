import type { RequestListener } from 'node:http';
import {
  App,
  type BlockAction,
  type ButtonAction,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import type { Notification, Notifier } from '../../application/notifications.js';
import type { DeliveryStore } from '../../ledger/deliveries.js';
import { pressApprovalButton } from '../core/approval-flow.js';
import type { BotCore } from '../core/core.js';
import { type Answer, APPROVE_ACTION, REJECT_ACTION } from '../core/types.js';
import { type ChannelSender, deliver } from '../deliveries.js';
import { uploadAnswerFiles, uploadFailure } from './files.js';
import { fallbackText, toBlockKit } from './render.js';

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

const WORKING = 'Working on it…';

/** The Slack adapter: slash command, mentions, DMs, approval buttons, App Home — all answered by the core. */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { core } = options;
  const path = options.path ?? '/slack/events';
  const budget = options.ackBudgetMs ?? 2000;
  // Fail fast (two retries) rather than the Web API client's default of ten over 30 minutes: a
  // chat answer is useless late, and the worker retries notifications itself.
  const clientOptions = { slackApiUrl: slackApiBase(options.apiUrl), retryConfig: { retries: 2 } };
  const logLevel = options.logLevel ?? LogLevel.WARN;
  let app: App;
  let receiver: HTTPReceiver | undefined;
  if (options.appToken) {
    // Built here rather than by App so that the Socket Mode client also honours SLACK_API_URL.
    const socketReceiver = new SocketModeReceiver({
      appToken: options.appToken,
      logLevel,
      installerOptions: { clientOptions },
    });
    app = new App({
      token: options.token,
      receiver: socketReceiver,
      clientOptions,
      logLevel,
      convoStore: false,
    });
  } else {
    if (!options.signingSecret)
      throw new Error('SLACK_SIGNING_SECRET is required for the Slack HTTP receiver');
    receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: path,
      processBeforeResponse: false,
      unhandledRequestTimeoutMillis: 3001,
      logLevel,
    });
    app = new App({ token: options.token, receiver, clientOptions, logLevel, convoStore: false });
  }
  const store = core.deps.ledger.deliveries;

  // /credits <subcommand> <args>: ack with the answer when it is ready within the budget, else
  // ack at once and send the answer through response_url.
  app.command(/^\/credits/, async ({ command, ack, respond, client }) => {
    const [sub = '', ...rest] = command.text.trim().split(/\s+/);
    const pending = core.answer({
      platform: 'slack',
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      command: sub,
      args: rest.join(' '),
    });
    const quick = await Promise.race([pending, delay(budget).then(() => null)]);
    let answer: Answer;
    if (quick) {
      answer = quick;
      await ack(slashBody(answer));
    } else {
      await ack({ response_type: 'ephemeral', text: WORKING });
      answer = await pending;
      await respond({ ...slashBody(answer), replace_original: true });
    }
    // Slack has no ephemeral files: after the ack, the chart is shared in the channel asked from.
    if (answer.files?.length) {
      await uploadAnswerFiles(client, answer, { channel: command.channel_id }).catch((error: unknown) =>
        respond({ response_type: 'ephemeral', text: uploadFailure(error), replace_original: false }),
      );
    }
  });

  app.event('app_mention', async ({ event, body, client }) => {
    const teamId = (body as { team_id?: string }).team_id ?? event.team ?? '';
    if (!event.user) return;
    const answer = await core.answer({
      platform: 'slack',
      teamId,
      channelId: event.channel,
      userId: event.user,
      text: event.text,
    });
    const thread_ts = event.thread_ts ?? event.ts;
    if (answer.ephemeral) {
      await client.chat.postEphemeral({
        channel: event.channel,
        user: event.user,
        thread_ts,
        text: fallbackText(answer),
        blocks: toBlockKit(answer) as never,
      });
    } else {
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts,
        text: fallbackText(answer),
        blocks: toBlockKit(answer) as never,
      });
      if (answer.files?.length)
        await uploadAnswerFiles(client, answer, { channel: event.channel, threadTs: thread_ts });
    }
  });

  // Direct messages to the bot (channel_type im); the bot's own messages and edits are ignored.
  app.message(async ({ message, body, client }) => {
    const m = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user || !m.text) return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const answer = await core.answer({
      platform: 'slack',
      teamId,
      channelId: m.channel,
      userId: m.user,
      text: m.text,
    });
    await client.chat.postMessage({
      channel: m.channel,
      text: fallbackText(answer),
      blocks: toBlockKit(answer) as never,
    });
    if (answer.files?.length) await uploadAnswerFiles(client, answer, { channel: m.channel });
  });

  const onDecision = (decision: 'approve' | 'reject') =>
    (async ({ ack, body, action, client }) => {
      await ack();
      const channel = body.channel?.id ?? body.container?.channel_id;
      const ts = body.message?.ts ?? body.container?.message_ts;
      await pressApprovalButton({
        core,
        messages: store,
        asker: {
          platform: 'slack',
          teamId: body.team?.id ?? body.user.team_id ?? '',
          channelId: channel ?? null,
          userId: body.user.id,
        },
        purchaseId: action.value ?? '',
        decision,
        message: {
          where: channel && ts ? { channel, messageId: ts } : null,
          async tellPresser(answer) {
            if (!channel) return;
            await client.chat.postEphemeral({
              channel,
              user: body.user.id,
              text: fallbackText(answer),
              blocks: toBlockKit(answer) as never,
            });
          },
          async show(answer) {
            if (!channel || !ts) return;
            await client.chat.update({
              channel,
              ts,
              text: fallbackText(answer),
              blocks: toBlockKit(answer) as never,
            });
          },
        },
      });
    }) satisfies Parameters<typeof app.action<BlockAction<ButtonAction>>>[1];
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION, onDecision('approve'));
  app.action<BlockAction<ButtonAction>>(REJECT_ACTION, onDecision('reject'));

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const answer = await core.answer({
      platform: 'slack',
      teamId,
      channelId: null,
      userId: event.user,
      command: 'balance',
    });
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Credits' } },
          ...toBlockKit(answer),
          { type: 'divider' },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: 'Ask `/credits balance`, `/credits estimate 3 veo 3.1 videos`, `/credits history`, `/credits usage`, `/credits buy small`, or mention me with a question.',
              },
            ],
          },
        ],
      } as never,
    });
  });

  app.error(async (error) => {
    console.error('slack bot error:', error.message);
  });

  const client = app.client;
  const notifier = new SlackNotifier({ core, client, store });
  return {
    app,
    listener: receiver?.requestListener,
    path,
    notifier,
    async start() {
      if (options.appToken) await app.start();
    },
    async stop() {
      if (options.appToken) await app.stop();
    },
  };
}

function slashBody(answer: Answer) {
  return {
    response_type: 'ephemeral' as const,
    text: fallbackText(answer),
    blocks: toBlockKit(answer) as never,
  };
}

export function slackApiBase(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Posts notifications to the workspace's linked Slack channels through the Web API (chat.postMessage,
 * chat.update). Safe to call again with the same notification id.
 */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';
  private readonly sender: ChannelSender;
  private readonly store: DeliveryStore;

  constructor(
    private readonly deps: {
      core: BotCore;
      client?: webApi.WebClient;
      token?: string;
      apiUrl?: string;
      store?: DeliveryStore;
    },
  ) {
    const client =
      deps.client ??
      new webApi.WebClient(deps.token, {
        slackApiUrl: slackApiBase(deps.apiUrl),
        retryConfig: { retries: 2 },
      });
    this.store = deps.store ?? deps.core.deps.ledger.deliveries;
    const log = deps.core.deps.log ?? ((message: string, error?: unknown) => console.error(message, error));
    this.sender = {
      platform: 'slack',
      async post(channel, answer) {
        const r = await client.chat.postMessage({
          channel,
          text: fallbackText(answer),
          blocks: toBlockKit(answer) as never,
        });
        if (!r.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
        // The message is out (and recorded as delivered by the caller): a chart that fails to
        // upload is logged rather than thrown, so a retry never posts the digest twice.
        if (answer.files?.length) {
          await uploadAnswerFiles(client, answer, { channel }).catch((error: unknown) =>
            log(`slack: chart upload to ${channel} failed`, error),
          );
        }
        return r.ts;
      },
      async openDm(userId) {
        const r = await client.conversations.open({ users: userId });
        if (!r.channel?.id) throw new Error(`conversations.open with ${userId} returned no channel`);
        return r.channel.id;
      },
      async update(channel, ts, answer) {
        await client.chat.update({
          channel,
          ts,
          text: fallbackText(answer),
          blocks: toBlockKit(answer) as never,
        });
      },
    };
  }

  send(notification: Notification): Promise<void> {
    return deliver(
      {
        core: this.deps.core,
        directory: this.deps.core.deps.directory,
        store: this.store,
        sender: this.sender,
      },
      notification,
    );
  }
}
