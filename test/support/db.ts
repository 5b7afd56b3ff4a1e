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
