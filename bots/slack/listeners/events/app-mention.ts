import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { uploadAnswerFiles } from '../../files.js';
import { fallbackText, toBlockKit } from '../../render.js';
import type { ListenerDeps } from '../deps.js';

/** "@Credits how many left?": answered in the mention's thread (privately when the answer is ephemeral). */
export function appMention({ core }: ListenerDeps) {
  return async ({ event, body, client }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
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
  };
}
