import { parseArgs } from 'node:util';
import { CatalogError } from '../ledger/catalog/index.js';
import { isCreditsError } from '../ledger/errors.js';
import { ConfigError, loadConfig } from '../runtime/config.js';
import { commands } from './commands.js';

const usage = `credits — operator commands for the Credits service

Usage: credits <command> [options]    (npm run credits -- <command> …)

  start                         PostgreSQL (embedded unless DATABASE_URL), migrations, demo seed, API
  serve api                     the HTTP API alone (needs DATABASE_URL, OPERATOR_API_KEY; PORT; TEMPORAL_ADDRESS for purchases)
  serve bots                    Slack and/or Discord bots (needs DATABASE_URL and SLACK_* or DISCORD_TOKEN)
  serve worker                  the Temporal worker: lifecycle, alerts, purchases (needs DATABASE_URL; TEMPORAL_ADDRESS)
  chat [--workspace W --member M]   the chat console (default demo / demo-owner)
  mcp                           MCP server on stdio for AI agents (CREDITS_API_URL, CREDITS_API_KEY[, CREDITS_WORKSPACE])
  discord-register [--guild ID] register the /credits slash command (DISCORD_TOKEN, DISCORD_APPLICATION_ID)
  migrate                       apply pending database migrations (safe to repeat and to run concurrently)
  seed-demo                     seed the demo workspace if the database has no workspace
  workspace create <id> --name N --plan P [--status active] [--anchor ISO]
  api-key <workspace> [--name N] [--scopes a,b] [--member M] [--expires ISO]
                                create a scoped API key (the secret is printed once)
  api-key list <workspace>      keys without secrets: scopes, member, expiry, last use, revocation
  api-key revoke <key-id>       revoke at once, on every replica
  login-link <workspace> --member M
                                a single-use sign-in link to the web console (/app), valid 10 minutes
  grant <workspace> <amount> --reason R [--type purchased] [--expires ISO] [--key K]
  debit <workspace> (<amount> | --operation OP [--quantity N] [--param k=v …]) [--key K]
  balance <workspace>           balance by type, next expiry, renewal
  history <workspace> [--limit N] [--kind K] [--operation OP]
  expire                        write expiry entries for lots past their date
  verify [--workspace W]        check the ledger invariants; exits 1 and lists offending lots if any fail
  report revenue --from D --to D [--workspace W] [--csv]
                                deferred, sold, recognized, breakage and refunded money over [from, to)

Options: --json prints machine-readable output. Environment: DATABASE_URL, PORT, OPERATOR_API_KEY,
CATALOG_FILE (see docs/configuration.md).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      plan: { type: 'string' },
      status: { type: 'string' },
      anchor: { type: 'string' },
      reason: { type: 'string' },
      type: { type: 'string' },
      expires: { type: 'string' },
      key: { type: 'string' },
      operation: { type: 'string' },
      quantity: { type: 'string' },
      param: { type: 'string', multiple: true },
      limit: { type: 'string' },
      kind: { type: 'string' },
      workspace: { type: 'string' },
      member: { type: 'string' },
      guild: { type: 'string' },
      scopes: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean' },
    },
  });
  const [name, ...args] = positionals;
  if (!name || values.help) {
    console.log(usage);
    return name || values.help ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    return 1;
  }
  const config = loadConfig();
  return command({ args, options: values, config });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof CatalogError) console.error(err.message);
    else if (isCreditsError(err)) console.error(`${err.code}: ${err.message}`);
    else if ((err as { code?: string } | undefined)?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      console.error(String((err as Error).message));
    else console.error(err ?? 'failed without an error message');
    process.exit(1);
  },
);
