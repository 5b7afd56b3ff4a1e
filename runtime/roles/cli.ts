import { migrate } from '../../ledger/migrate.js';
import type { Config } from '../config.js';
import { type AppContext, contextFor } from '../context.js';
import { resolveDatabase } from '../database.js';
import { embeddedDatabaseUrl } from '../embedded-postgres.js';

/** A CLI command needs few connections: it runs one statement after another. */
const CLI_POOL_MAX = 4;

/**
 * The CLI's one-shot commands: a migrated database (DATABASE_URL, or the embedded PostgreSQL of
 * `npm start`, started if need be) and the context the settings describe, as in every role; both
 * are closed when `body` ends.
 */
export async function withCliContext(
  config: Config,
  log: (line: string) => void,
  body: (ctx: AppContext) => Promise<number>,
): Promise<number> {
  const db = await resolveDatabase(config, log);
  const ctx = contextFor(config, db.url, { poolMax: CLI_POOL_MAX });
  try {
    await migrate(ctx.sql);
    return await body(ctx);
  } finally {
    await ctx.close();
    await db.stop();
  }
}

/** The chat console's context: DATABASE_URL, or the embedded PostgreSQL another terminal's `npm start` runs. */
export function chatContext(config: Config): { ctx: AppContext; databaseUrl: string } {
  const databaseUrl = config.DATABASE_URL ?? embeddedDatabaseUrl(config.EMBEDDED_POSTGRES_PORT);
  return { ctx: contextFor(config, databaseUrl, { poolMax: CLI_POOL_MAX }), databaseUrl };
}
