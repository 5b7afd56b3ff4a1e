import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../ledger/migrate.js';
import { ownDatabase } from '../../support/db.js';

describe('migration 025: chat identity per team, purchase request keys, Slack requests seen', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m025');
    await migrate(db.sql, { through: '020_web_access' });
  });
  afterAll(() => db?.drop());

  it('adds the columns and tables empty, keeping every row as it was', async () => {
    const { sql } = db;
    await sql`INSERT INTO workspaces (id, name, plan, status, billing_anchor) VALUES ('w', 'W', 'solo', 'active', now())`;
    await sql`INSERT INTO members (workspace_id, id, name, role, slack_user_id) VALUES ('w', 'olga', 'Olga', 'owner', 'UOLGA')`;
    await sql`
      INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source)
      VALUES ('p1', 'w', 'small', 'Small', 1000, 50, 'USD', 'pending_approval', 'api'),
             ('p2', 'w', 'small', 'Small', 1000, 50, 'USD', 'pending_approval', 'api')`;

    const applied = (await migrate(sql)).applied;
    expect(applied).toContain('025_chat_identity_and_requests');

    const [olga] =
      await sql`SELECT slack_user_id, slack_team_id, discord_guild_id FROM members WHERE id = 'olga'`;
    expect(olga).toEqual({ slack_user_id: 'UOLGA', slack_team_id: null, discord_guild_id: null });
    // Pending duplicates made before it stay (the rule applies to new requests).
    expect((await sql`SELECT id, request_key FROM purchases ORDER BY id`).map((r) => ({ ...r }))).toEqual([
      { id: 'p1', request_key: null },
      { id: 'p2', request_key: null },
    ]);
    await sql`UPDATE purchases SET request_key = 'k' WHERE id = 'p1'`;
    await expect(sql`UPDATE purchases SET request_key = 'k' WHERE id = 'p2'`).rejects.toMatchObject({
      code: '23505',
    });
    await sql`INSERT INTO chat_requests_seen (platform, request_id) VALUES ('slack', 'event:Ev1')`;
    const again = await sql`
      INSERT INTO chat_requests_seen (platform, request_id) VALUES ('slack', 'event:Ev1')
      ON CONFLICT DO NOTHING RETURNING 1`;
    expect(again).toHaveLength(0);
    const [table] = await sql`SELECT relpersistence FROM pg_class WHERE relname = 'chat_requests_seen'`;
    expect(table?.relpersistence).toBe('u');
  });
});
