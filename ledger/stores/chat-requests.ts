import type { Sql } from '../db.js';

/** Rows older than this are pruned: Slack signs a request for 5 minutes and retries within an hour. */
const KEEP = '1 day';

/**
 * The `chat_requests_seen` table: chat requests already handled, so that a platform's retry or a
 * replayed signed request is answered once, on whichever replica it lands.
 */
export class ChatRequestLog {
  private sincePrune = 0;

  constructor(private readonly sql: Sql) {}

  /** True the first time `requestId` is seen for `platform`, false for every repeat. */
  async firstTime(platform: 'slack' | 'discord', requestId: string): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO chat_requests_seen (platform, request_id) VALUES (${platform}, ${requestId})
      ON CONFLICT DO NOTHING RETURNING 1`;
    if (++this.sincePrune >= 1000) {
      this.sincePrune = 0;
      await this.sql`DELETE FROM chat_requests_seen WHERE seen_at < now() - ${KEEP}::interval`;
    }
    return rows.length === 1;
  }
}
