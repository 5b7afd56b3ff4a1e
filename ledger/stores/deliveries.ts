import type { Sql } from '../db.js';

export type DeliveryPlatform = 'slack' | 'discord';

/** How long a claim on a delivery stays exclusive before another sender may take it over. */
const LEASE_SECONDS = 120;

/** Remembers which notification went to which channel, and which message shows a purchase. */
export class DeliveryStore {
  constructor(private readonly sql: Sql) {}

  /** True when this sender now owns the delivery; false when it was sent (or is being sent) already. */
  async claim(notificationId: string, platform: DeliveryPlatform, channel: string): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO bot_deliveries (notification_id, platform, channel, state)
      VALUES (${notificationId}, ${platform}, ${channel}, 'sending')
      ON CONFLICT (notification_id, platform, channel) DO UPDATE SET claimed_at = now()
        WHERE bot_deliveries.state = 'sending'
          AND bot_deliveries.claimed_at < now() - make_interval(secs => ${LEASE_SECONDS})
      RETURNING notification_id`;
    return rows.length > 0;
  }

  async sent(
    notificationId: string,
    platform: DeliveryPlatform,
    channel: string,
    messageId: string | null,
  ): Promise<void> {
    await this.sql`
      UPDATE bot_deliveries SET state = 'sent', message_id = ${messageId}, sent_at = now()
       WHERE notification_id = ${notificationId} AND platform = ${platform} AND channel = ${channel}`;
  }

  /** Gives a failed claim back so the retry can send. */
  async release(notificationId: string, platform: DeliveryPlatform, channel: string): Promise<void> {
    await this.sql`
      DELETE FROM bot_deliveries
       WHERE notification_id = ${notificationId} AND platform = ${platform} AND channel = ${channel}
         AND state = 'sending'`;
  }

  async rememberPurchaseMessage(input: {
    purchaseId: string;
    platform: DeliveryPlatform;
    channel: string;
    messageId: string;
    workspaceId: string;
  }): Promise<void> {
    await this.sql`
      INSERT INTO bot_purchase_messages (purchase_id, platform, channel, message_id, workspace_id)
      VALUES (${input.purchaseId}, ${input.platform}, ${input.channel}, ${input.messageId}, ${input.workspaceId})
      ON CONFLICT (purchase_id, platform, channel) DO UPDATE SET message_id = EXCLUDED.message_id`;
  }

  async purchaseMessages(
    purchaseId: string,
    platform: DeliveryPlatform,
  ): Promise<{ channel: string; messageId: string }[]> {
    const rows = await this.sql`
      SELECT channel, message_id FROM bot_purchase_messages
       WHERE purchase_id = ${purchaseId} AND platform = ${platform} ORDER BY created_at`;
    return rows.map((r) => ({ channel: r.channel as string, messageId: r.message_id as string }));
  }
}
