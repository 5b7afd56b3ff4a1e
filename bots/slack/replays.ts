import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { ChatRequestLog } from '../../ledger/stores/chat-requests.js';

/**
 * What makes a Slack request the same request again: an event's `event_id` (Slack's retries,
 * `X-Slack-Retry-Num`, carry the first one's), else the whole payload (a command's or button
 * press's `trigger_id` is new for every real one, so only a replay repeats it exactly).
 */
export function slackRequestId(body: Record<string, unknown>): string {
  if (typeof body.event_id === 'string' && body.event_id) return `event:${body.event_id}`;
  return `payload:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

/**
 * Global middleware: a request seen before (on any replica) is acknowledged and goes no further,
 * so a retried event or a replayed command, within the signature's five minutes, is answered and
 * acted on once.
 */
export function answerOnce(seen: Pick<ChatRequestLog, 'firstTime'>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, next } = args;
    if (await seen.firstTime('slack', slackRequestId(body as Record<string, unknown>))) {
      await next();
      return;
    }
    const ack = (args as { ack?: () => Promise<void> }).ack;
    await ack?.();
  };
}
