import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Answer, BotRequest } from '../../../core/types.js';
import { uploadAnswerFiles, uploadFailure } from '../../files.js';
import { fallbackText, toBlockKit } from '../../render.js';
import type { ListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * A button that asks the core something as the presser: a clarification's choice (the answer
 * replaces the question) or "Buy <package>" (the answer comes below). Answered through
 * response_url, privately like the message it was pressed on.
 */
function asPresser(
  { core }: ListenerDeps,
  request: (value: string) => Pick<BotRequest, 'choice' | 'command' | 'args'>,
  replaceOriginal: boolean,
) {
  return async ({ ack, body, action, respond, client }: ButtonArgs) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id ?? null;
    const answer: Answer = await core.answer({
      platform: 'slack',
      teamId: body.team?.id ?? body.user.team_id ?? '',
      channelId: channel,
      userId: body.user.id,
      ...request(action.value ?? ''),
    });
    await respond({
      response_type: 'ephemeral',
      text: fallbackText(answer),
      blocks: toBlockKit(answer) as never,
      replace_original: replaceOriginal,
    });
    if (answer.files?.length && channel) {
      await uploadAnswerFiles(client, answer, { channel }).catch((error: unknown) =>
        respond({ response_type: 'ephemeral', text: uploadFailure(error), replace_original: false }),
      );
    }
  };
}

export const choice = (deps: ListenerDeps) => asPresser(deps, (id) => ({ choice: id }), true);
export const buy = (deps: ListenerDeps) => asPresser(deps, (pkg) => ({ command: 'buy', args: pkg }), false);
