import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startApiServer } from '../integrations/api/server.js';
import { migrate } from '../ledger/migrate.js';
import { type Config, ConfigError } from '../runtime/config.js';
import { createContext } from '../runtime/context.js';
import { DEMO_WORKSPACE, demoApiKey, seedDemo } from '../runtime/demo.js';
import { resolveDatabase } from './database.js';

const log = (line: string) => console.log(line);

/** Stops everything on Ctrl-C / SIGTERM, last started first. */
function onShutdown(steps: (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: shutting down…`);
    for (const step of steps.reverse()) await step().catch((e: unknown) => console.error(e));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function operatorKey(config: Config): Promise<string> {
  if (config.OPERATOR_API_KEY) return config.OPERATOR_API_KEY;
  const file = resolve(config.CREDITS_DATA_DIR, 'operator-api-key');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = `cr_op_${randomBytes(24).toString('base64url')}`;
  await mkdir(config.CREDITS_DATA_DIR, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** `npm start`: the whole service on embedded defaults, or on the configured PostgreSQL. */
export async function start(config: Config): Promise<number> {
  const stops: (() => Promise<void>)[] = [];
  onShutdown(stops);
  const db = await resolveDatabase(config, log);
  stops.push(db.stop);
  const ctx = createContext({ databaseUrl: db.url, catalogFile: config.CATALOG_FILE });
  stops.push(ctx.close);
  const migrated = await migrate(ctx.sql);
  if (migrated.applied.length) log(`Migrations applied: ${migrated.applied.join(', ')}`);
  if (await seedDemo(ctx))
    log(`Seeded the demo workspace "${DEMO_WORKSPACE}" with a plan and four weeks of history.`);
  const demoKey = (await ctx.directory.workspace(DEMO_WORKSPACE).catch(() => null))
    ? await demoApiKey(ctx, config.CREDITS_DATA_DIR)
    : null;
  const opKey = await operatorKey(config);
  const server = await startApiServer({ ctx: { ...ctx, operatorKey: opKey }, port: config.PORT });
  stops.push(server.close);
  log('');
  log(`Credits API     ${server.url}   (OpenAPI: ${server.url}/openapi.json)`);
  log(`Catalog         ${ctx.catalogFile}`);
  log(
    `Database        ${db.embedded ? `embedded PostgreSQL, data in ${config.CREDITS_DATA_DIR}/postgres` : 'DATABASE_URL'}`,
  );
  if (demoKey) {
    log(`Demo API key    ${demoKey}   (workspace "${DEMO_WORKSPACE}")`);
    log(
      `Try             curl -s -H "Authorization: Bearer ${demoKey}" ${server.url}/v1/workspaces/${DEMO_WORKSPACE}/balance`,
    );
  }
  log(
    `Operator key    ${config.OPERATOR_API_KEY ? '(from OPERATOR_API_KEY)' : `${opKey}   (kept in ${config.CREDITS_DATA_DIR}/operator-api-key)`}`,
  );
  log('Press Ctrl-C to stop.');
  return -1;
}

/** `npm run serve:api`: the API alone against a configured database; no demo data. */
export async function serveApi(config: Config): Promise<number> {
  const missing = (['DATABASE_URL', 'OPERATOR_API_KEY'] as const).filter((k) => !config[k]);
  if (missing.length) throw new ConfigError(missing.map((k) => `${k}: is required for "serve api"`));
  const stops: (() => Promise<void>)[] = [];
  onShutdown(stops);
  const ctx = createContext({ databaseUrl: config.DATABASE_URL!, catalogFile: config.CATALOG_FILE });
  stops.push(ctx.close);
  await migrate(ctx.sql);
  const server = await startApiServer({
    ctx: { ...ctx, operatorKey: config.OPERATOR_API_KEY },
    port: config.PORT,
  });
  stops.push(server.close);
  log(`Credits API listening on ${server.url}`);
  return -1;
}
