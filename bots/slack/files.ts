import type { webApi } from '@slack/bolt';
import type { Answer } from '../core/types.js';

/**
 * Shares an answer's files (the usage chart) in a channel with `files.uploadV2`: the client asks
 * files.getUploadURLExternal for an upload URL, sends the bytes there, then
 * files.completeUploadExternal shares the file in `channel` (in a thread when `threadTs` is set).
 */
export async function uploadAnswerFiles(
  client: webApi.WebClient,
  answer: Answer,
  where: { channel: string; threadTs?: string },
): Promise<string[]> {
  const ids: string[] = [];
  for (const file of answer.files ?? []) {
    const upload = {
      file: file.png,
      filename: file.name,
      title: 'Credits usage, last 30 days',
      alt_text: file.alt.slice(0, 1000),
    };
    const result = (await (where.threadTs
      ? client.filesUploadV2({ ...upload, channel_id: where.channel, thread_ts: where.threadTs })
      : client.filesUploadV2({ ...upload, channel_id: where.channel }))) as {
      files?: { files?: { id?: string }[] }[];
    };
    for (const done of result.files ?? []) for (const f of done.files ?? []) if (f.id) ids.push(f.id);
  }
  return ids;
}

/** Why an upload failed, in words for the asker (the bot must be in the channel to share a file). */
export function uploadFailure(error: unknown): string {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code === 'not_in_channel' || code === 'channel_not_found')
    return 'I could not post the chart here: invite me to this channel (`/invite @credits`) and ask again.';
  return `I could not post the chart (${code ?? (error as Error).message}).`;
}
