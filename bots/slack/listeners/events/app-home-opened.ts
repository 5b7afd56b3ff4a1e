import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { toBlockKit } from '../../render.js';
import type { ListenerDeps } from '../deps.js';

/** The App Home tab: the asker's balance and what to ask. */
export function appHomeOpened({ core }: ListenerDeps) {
  return async ({ event, body, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
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
  };
}
