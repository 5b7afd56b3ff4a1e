import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { uploadAnswerFiles } from '../../files.js';
import { fallbackText, toBlockKit } from '../../render.js';
import type { ListenerDeps } from '../deps.js';

/** Direct messages to the bot (channel_type im); the bot's own messages and edits are ignored. */
export function directMessage({ core }: ListenerDeps) {
  return async ({ message, body, client }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
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
  };
}
