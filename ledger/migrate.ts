import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql, TxSql } from './db.js';
import { type FunctionFile, loadFunctionFiles } from './sql/function-files.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any constant works; it only has to be the same in every process that migrates. */
const MIGRATION_LOCK = 7_262_013_001;

export interface MigrationResult {
  /** In the order applied: numbered migrations by version, then function files as `functions/<name>.sql`. */
  applied: string[];
  alreadyApplied: string[];
}

export interface MigrateOptions {
  /**
   * Stop after this numbered migration and apply no function file: the database as a release of
   * that time left it, for a test that a later migration upgrades it.
   */
  through?: string;
}

/**
 * Brings the schema up to date in one transaction: first the pending `migrations/NNN_name.sql`
 * (schema and data changes, in order, each recorded in `schema_migrations`), then every
 * `sql/functions/<name>.sql` (the current definition of each SQL function, `CREATE OR REPLACE`)
 * whose checksum differs from the one recorded in `schema_functions` or whose function is missing.
 * A transaction-scoped advisory lock makes concurrent start-ups wait for each other instead of
 * racing (a crash releases it with the rollback), and a second run finds everything recorded and
 * does nothing. See ledger/sql/README.md for the rules.
 */
export async function migrate(sql: Sql, options: MigrateOptions = {}): Promise<MigrationResult> {
  let files = (await readdir(migrationsDir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  if (options.through !== undefined) {
    const last = files.indexOf(`${options.through}.sql`);
    if (last < 0) throw new Error(`no migration ${options.through}`);
    files = files.slice(0, last + 1);
  }
  const functions = options.through === undefined ? await loadFunctionFiles() : [];
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    await applyMigrations(tx, files, result);
    if (options.through === undefined) await applyFunctions(tx, functions, result);
    return result;
  });
}

async function applyMigrations(tx: TxSql, files: string[], result: MigrationResult): Promise<void> {
  await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;
  const done = new Set((await tx`SELECT version FROM schema_migrations`).map((r) => r.version as string));
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    if (done.has(version)) {
      result.alreadyApplied.push(version);
      continue;
    }
    await tx.unsafe(await readFile(migrationsDir + file, 'utf8'));
    await tx`INSERT INTO schema_migrations (version) VALUES (${version})`;
    result.applied.push(version);
  }
}

/**
 * A function whose file is unchanged is left alone, unless it is gone (a migration dropped it to
 * change its signature): then its file creates it again. A file deleted from the tree forgets its
 * checksum; dropping the function itself is a numbered migration's job.
 */
async function applyFunctions(tx: TxSql, files: FunctionFile[], result: MigrationResult): Promise<void> {
  await tx`CREATE TABLE IF NOT EXISTS schema_functions (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;
  const recorded = new Map(
    (await tx`SELECT name, checksum FROM schema_functions`).map((r) => [
      r.name as string,
      r.checksum as string,
    ]),
  );
  const present = new Set(
    (await tx`SELECT proname FROM pg_proc WHERE pronamespace = to_regnamespace(current_schema())`).map(
      (r) => r.proname as string,
    ),
  );
  for (const f of files) {
    if (recorded.get(f.name) === f.checksum && present.has(f.name)) {
      result.alreadyApplied.push(f.path);
      continue;
    }
    await tx.unsafe(f.text);
    await tx`
      INSERT INTO schema_functions (name, checksum) VALUES (${f.name}, ${f.checksum})
      ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`;
    result.applied.push(f.path);
  }
  await tx`DELETE FROM schema_functions WHERE name <> ALL(${files.map((f) => f.name)}::text[])`;
}
