import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Answer } from '../../../core/types.js';
import { uploadAnswerFiles, uploadFailure } from '../../files.js';
import { fallbackText, toBlockKit } from '../../render.js';
import type { ListenerDeps } from '../deps.js';

const WORKING = 'Working on it…';

/**
 * `/credits <subcommand> <args>`: acks with the answer when it is ready within the budget, else
 * acks at once and sends the answer through response_url.
 */
export function creditsCommand({ core, ackBudgetMs }: ListenerDeps) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const [sub = '', ...rest] = command.text.trim().split(/\s+/);
    const pending = core.answer({
      platform: 'slack',
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      command: sub,
      args: rest.join(' '),
    });
    const quick = await Promise.race([pending, delay(ackBudgetMs).then(() => null)]);
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
  };
}

export function slashBody(answer: Answer) {
  return {
    response_type: 'ephemeral' as const,
    text: fallbackText(answer),
    blocks: toBlockKit(answer) as never,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
