import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { connect, type Sql } from '../../ledger/db.js';

/** A pool on the run's test database, closed after the file's tests. */
export function useTestDatabase(max = 20): Sql {
  const sql = connect(inject('databaseUrl'), { max });
  afterAll(() => sql.end());
  return sql;
}

/** Workspace ids unique to this test, so test files never see each other's data. */
export function uniqueId(prefix = 'ws'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/**
 * An empty database of its own on the run's server (for migrations, or work that takes every row
 * of a table); `drop` removes it. Not migrated: the caller decides how far.
 */
export async function ownDatabase(label: string, max = 4): Promise<{ sql: Sql; drop: () => Promise<void> }> {
  const admin = connect(inject('adminDatabaseUrl'), { max: 1 });
  const name = `credits_${label}_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${name}`;
  const sql = connect(url.toString(), { max });
  return {
    sql,
    async drop() {
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
