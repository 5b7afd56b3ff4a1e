import { webApi } from '@slack/bolt';
import type { Notification, Notifier } from '../../application/notifications.js';
import type { DeliveryStore } from '../../ledger/stores/deliveries.js';
import type { BotCore } from '../core/core.js';
import { type ChannelSender, deliver } from '../deliveries.js';
import { uploadAnswerFiles } from './files.js';
import { slackApiBase } from './receiver.js';
import { fallbackText, toBlockKit } from './render.js';

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
