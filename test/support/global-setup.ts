import type { TestProject } from 'vitest/node';
import { connect } from '../../ledger/db.js';
import { migrate } from '../../ledger/migrate.js';
import { provisionTemporalCli } from '../../runtime/temporal-provision.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    temporalCli: string;
  }
}

/**
 * The Temporal CLI for every workflow test and for the `npm start` the tests spawn, provisioned
 * once per run when missing (a Go build on a fresh machine), so no test fails for want of it.
 * Also one fresh database per test run on the machine's PostgreSQL (TEST_DATABASE_URL, default the
 * local server), migrated once; dropped at the end unless KEEP_TEST_DB is set.
 */
export default async function setup(project: TestProject) {
  const temporalCli = await provisionTemporalCli({ env: process.env });
  process.env.TEMPORAL_CLI = temporalCli;
  project.provide('temporalCli', temporalCli);
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `credits_test_${Date.now()}_${process.pid}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const sql = connect(admin, { max: 1 });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  const db = connect(url.toString(), { max: 1 });
  await migrate(db);
  await db.end();
  project.provide('databaseUrl', url.toString());
  project.provide('adminDatabaseUrl', admin);
  return async () => {
    if (!process.env.KEEP_TEST_DB) await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await sql.end();
  };
}
