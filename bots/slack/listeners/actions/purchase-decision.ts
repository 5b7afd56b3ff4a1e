import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { pressApprovalButton, pressRaiseButton } from '../../../core/approval-flow.js';
import { fallbackText, toBlockKit } from '../../render.js';
import type { ListenerDeps } from '../deps.js';

/** Approve / Reject on an approval message: decided as the presser; the message updates for everyone. */
export function purchaseDecision(
  { core, messages }: ListenerDeps,
  decision: 'approve' | 'reject',
  press: typeof pressApprovalButton = pressApprovalButton,
) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    await press({
      core,
      messages,
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
  };
}

/** The same buttons on a budget raise's approval message. */
export function raiseDecision(deps: ListenerDeps, decision: 'approve' | 'reject') {
  return purchaseDecision(deps, decision, pressRaiseButton);
}
