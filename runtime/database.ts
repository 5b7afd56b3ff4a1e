import { connect } from '../ledger/db.js';
import type { Config } from './config.js';
import { embeddedDatabaseUrl, startEmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm start`: reused if it is already
 * running (another terminal runs `npm start`), started from the data folder if not.
 */
export async function resolveDatabase(
  config: Config,
  log: (line: string) => void,
): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };
  const url = embeddedDatabaseUrl(config.CREDITS_DATA_DIR, config.EMBEDDED_POSTGRES_PORT);
  if (url) {
    const probe = connect(url, { max: 1, connectTimeoutSeconds: 2 });
    try {
      await probe`SELECT 1`;
      return { url, embedded: true, stop: async () => {} };
    } catch {
      // Not running yet: start it below.
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
  const started = Date.now();
  const db = await startEmbeddedPostgres({
    dataDir: config.CREDITS_DATA_DIR,
    port: config.EMBEDDED_POSTGRES_PORT,
    log,
  });
  log(
    `Embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${config.CREDITS_DATA_DIR}/postgres)`,
  );
  return { url: db.url, embedded: true, stop: db.stop };
}
