import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './db.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any constant works; it only has to be the same in every process that migrates. */
const MIGRATION_LOCK = 7_262_013_001;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending `migrations/NNN_name.sql` files in order, each in its own transaction. A
 * session-level advisory lock makes concurrent start-ups wait for each other instead of racing,
 * and a second run finds everything recorded in `schema_migrations` and does nothing.
 */
export async function migrate(sql: Sql): Promise<MigrationResult> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return sql.begin(async (tx) => {
    // Transaction-scoped, so a crash mid-migration releases it with the rollback.
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`;
    const done = new Set((await tx`SELECT version FROM schema_migrations`).map((r) => r.version as string));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) {
        result.alreadyApplied.push(version);
        continue;
      }
      const text = await readFile(migrationsDir + file, 'utf8');
      await tx.unsafe(text);
      await tx`INSERT INTO schema_migrations (version) VALUES (${version})`;
      result.applied.push(version);
    }
    return result;
  });
}
