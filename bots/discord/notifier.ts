import { REST, Routes } from 'discord.js';
import type { Notification, Notifier } from '../../application/notifications.js';
import type { DeliveryStore } from '../../ledger/stores/deliveries.js';
import type { BotCore } from '../core/core.js';
import type { Answer } from '../core/types.js';
import { type ChannelSender, deliver } from '../deliveries.js';
import { toDiscordMessage } from './render.js';

/** Posts notifications to the workspace's linked Discord channels over REST. Safe to repeat an id. */
export class DiscordNotifier implements Notifier {
  readonly name = 'discord';
  private readonly sender: ChannelSender;
  private readonly store: DeliveryStore;

  constructor(
    private readonly deps: {
      core: BotCore;
      rest?: REST;
      token?: string;
      apiUrl?: string;
      store?: DeliveryStore;
    },
  ) {
    const rest = deps.rest ?? new REST(deps.apiUrl ? { api: deps.apiUrl } : {}).setToken(deps.token ?? '');
    this.store = deps.store ?? deps.core.deps.ledger.deliveries;
    // REST takes files apart from the JSON body: `attachments` names them, the bytes go as multipart parts.
    const request = (answer: Answer) => {
      const { files, ...message } = toDiscordMessage(answer);
      return {
        body: {
          ...message,
          allowed_mentions: { parse: [] },
          ...(files
            ? { attachments: files.map((f, id) => ({ id, filename: f.name, description: f.description })) }
            : {}),
        },
        ...(files
          ? {
              files: files.map((f, i) => ({
                key: `files[${i}]`,
                name: f.name,
                data: f.attachment,
                contentType: 'image/png',
              })),
            }
          : {}),
      };
    };
    this.sender = {
      platform: 'discord',
      async post(channel, answer) {
        const message = (await rest.post(Routes.channelMessages(channel), request(answer))) as {
          id: string;
        };
        return message.id;
      },
      async openDm(userId) {
        const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
          id: string;
        };
        return channel.id;
      },
      async update(channel, messageId, answer) {
        await rest.patch(Routes.channelMessage(channel, messageId), request(answer));
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
