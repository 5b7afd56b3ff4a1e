import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Message,
  MessageFlags,
  Partials,
  REST,
  Routes,
} from 'discord.js';
import type { Notification, Notifier } from '../../application/notifications.js';
import type { DeliveryStore } from '../../ledger/deliveries.js';
import { pressApprovalButton } from '../core/approval-flow.js';
import type { BotCore } from '../core/core.js';
import { type Answer, APPROVE_ACTION, REJECT_ACTION } from '../core/types.js';
import { type ChannelSender, deliver } from '../deliveries.js';
import { parseCustomId, toDiscordMessage } from './render.js';

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

const NO_MENTIONS = { parse: [] as never[], repliedUser: false };

/** The Discord adapter: /credits subcommands, mentions, approval buttons — all answered by the core. */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { core } = options;
  const budget = options.replyBudgetMs ?? 2000;
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

  const onCommand = async (interaction: ChatInputCommandInteraction) => {
    const sub = interaction.options.getSubcommand(false) ?? 'balance';
    let command = sub;
    let args = '';
    switch (sub) {
      case 'ask':
        command = '';
        args = interaction.options.getString('question') ?? '';
        break;
      case 'estimate':
        args = interaction.options.getString('items') ?? '';
        break;
      case 'history':
        args = interaction.options.getString('operation') ?? '';
        break;
      case 'usage':
        args = interaction.options.getString('by') === 'member' ? 'by member' : '';
        break;
      case 'buy':
        args = interaction.options.getString('package') ?? '';
        break;
      case 'alerts': {
        const low = interaction.options.getInteger('low');
        const critical = interaction.options.getInteger('critical');
        args = [low !== null ? `low ${low}` : '', critical !== null ? `critical ${critical}` : '']
          .join(' ')
          .trim();
        break;
      }
    }
    const pending = core.answer({
      platform: 'discord',
      teamId: interaction.guildId ?? '',
      channelId: interaction.channelId,
      userId: interaction.user.id,
      command,
      args,
    });
    const quick = await Promise.race([pending, delay(budget).then(() => null)]);
    if (quick) {
      await interaction.reply({
        ...toDiscordMessage(quick),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply({ ...toDiscordMessage(await pending), allowedMentions: NO_MENTIONS });
  };

  const onButton = async (interaction: ButtonInteraction) => {
    const { actionId, value } = parseCustomId(interaction.customId);
    if (actionId !== APPROVE_ACTION && actionId !== REJECT_ACTION) return;
    // The interaction must be answered once (reply or update); later changes edit the message.
    let answered: 'none' | 'replied' | 'updated' = 'none';
    await pressApprovalButton({
      core,
      messages: store,
      asker: {
        platform: 'discord',
        teamId: interaction.guildId ?? '',
        channelId: interaction.channelId,
        userId: interaction.user.id,
      },
      purchaseId: value,
      decision: actionId === APPROVE_ACTION ? 'approve' : 'reject',
      message: {
        where: { channel: interaction.channelId, messageId: interaction.message.id },
        async tellPresser(answer) {
          const message = { ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS };
          if (answered === 'none') await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
          else await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
          if (answered === 'none') answered = 'replied';
        },
        async show(answer) {
          const message = { ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS };
          if (answered === 'none') {
            await interaction.update(message);
            answered = 'updated';
          } else if (answered === 'updated') await interaction.editReply(message);
          else await interaction.message.edit(message);
        },
      },
    });
  };

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

  client.on(Events.MessageCreate, (message: Message) => {
    if (message.author.bot || !client.user) return;
    const mentioned = message.mentions.users.has(client.user.id);
    if (!message.inGuild()) {
      const text =
        'Ask me in a channel of your Discord server that is linked to your workspace: in a DM I cannot tell which workspace you mean.';
      void message.reply({ content: text, allowedMentions: NO_MENTIONS }).catch(() => {});
      return;
    }
    if (!mentioned) return;
    void (async () => {
      const answer = await core.answer({
        platform: 'discord',
        teamId: message.guildId,
        channelId: message.channelId,
        userId: message.author.id,
        text: message.content,
      });
      await message.reply({ ...toDiscordMessage(answer), allowedMentions: NO_MENTIONS });
    })().catch((error: unknown) => console.error('discord mention failed:', (error as Error).message));
  });

  const notifier = new DiscordNotifier({ core, rest: client.rest, store });
  return {
    client,
    notifier,
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

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
