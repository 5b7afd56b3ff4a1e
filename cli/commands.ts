import { serveStdio } from '../integrations/mcp/transport/stdio.js';
import { CreditsError } from '../ledger/errors.js';
import { migrate } from '../ledger/migrate.js';
import { transactions } from '../ledger/reports.js';
import { parsePeriod, revenueCsv } from '../ledger/revenue.js';
import { LOT_TYPES, type LotType, STATUSES, type SubscriptionStatus } from '../ledger/types.js';
import { verifyLedger } from '../ledger/verify.js';
import type { Config } from '../runtime/config.js';
import type { AppContext } from '../runtime/context.js';
import { seedDemo } from '../runtime/demo.js';
import { withCliContext } from '../runtime/roles/cli.js';
import { chat, discordRegister } from './chat.js';
import { formatBalance, formatRevenue, formatTransactions } from './format.js';
import { serve } from './start.js';

export interface CommandInput {
  args: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  config: Config;
}

/** Exit code; -1 keeps the process running (servers). */
export type Command = (input: CommandInput) => Promise<number>;

const log = (line: string) => console.error(line);

/** Runs `body` with a migrated database and the context every role gets from the settings. */
function withContext(config: Config, body: (ctx: AppContext) => Promise<number>): Promise<number> {
  return withCliContext(config, log, body);
}

function required(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw CreditsError.field(what, 'is required');
  return value;
}

function wholeNumber(value: unknown, what: string): number {
  const n = Number(required(value, what));
  if (!Number.isSafeInteger(n))
    throw CreditsError.field(what, `must be a whole number, got ${JSON.stringify(value)}`);
  return n;
}

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text());
}

export const commands: Record<string, Command> = {
  start: ({ config }) => serve('start', config),

  serve: async ({ args, config }) => {
    const role = args[0];
    if (role === 'api' || role === 'bots' || role === 'worker') return serve(role, config);
    console.error(`Unknown service "${role ?? ''}": try "serve api", "serve bots" or "serve worker".`);
    return 1;
  },

  chat: ({ options, config }) =>
    chat(config, {
      workspace: options.workspace as string | undefined,
      member: options.member as string | undefined,
    }),

  /** MCP over stdio against a hosted Credits API (stdout carries only the protocol). */
  mcp: async ({ config }) => {
    const baseUrl = required(config.CREDITS_API_URL, 'CREDITS_API_URL');
    const apiKey = required(config.CREDITS_API_KEY, 'CREDITS_API_KEY');
    await serveStdio({ baseUrl, apiKey, workspace: config.CREDITS_WORKSPACE });
    return 0;
  },

  'discord-register': ({ options, config }) => discordRegister(config, options.guild as string | undefined),

  migrate: ({ config }) =>
    withContext(config, async (ctx) => {
      const result = await migrate(ctx.sql);
      console.log(
        result.applied.length
          ? `Applied ${result.applied.join(', ')}`
          : 'Database is up to date; nothing to apply.',
      );
      return 0;
    }),

  'seed-demo': ({ config }) =>
    withContext(config, async (ctx) => {
      console.log(
        (await seedDemo(ctx)) ? 'Seeded the demo workspace.' : 'The database has workspaces; left as it is.',
      );
      return 0;
    }),

  workspace: ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      if (args[0] !== 'create')
        throw CreditsError.field('workspace', 'try "workspace create <id> --name … --plan …"');
      const status = (options.status as string | undefined) ?? 'active';
      if (!STATUSES.includes(status as SubscriptionStatus)) {
        throw CreditsError.field('status', `must be one of ${STATUSES.join(', ')}`);
      }
      const ws = await ctx.directory.createWorkspace({
        id: required(args[1], 'id'),
        name: required(options.name, 'name'),
        plan: required(options.plan, 'plan'),
        status: status as SubscriptionStatus,
        billingAnchor: options.anchor as string | undefined,
      });
      print(options.json as boolean, ws, () => `Created workspace ${ws.id} (${ws.plan}, ${ws.status}).`);
      return 0;
    }),

  'api-key': ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      const operator = { kind: 'operator', keyId: null, name: `cli:${config.USER ?? 'operator'}` } as const;
      if (args[0] === 'list') {
        const keys = await ctx.apiKeys.list(operator, required(args[1], 'workspace'));
        print(
          options.json as boolean,
          keys,
          () =>
            keys
              .map(
                (k) =>
                  `${k.id}  ${k.name}  [${k.scopes.join(' ')}]${k.memberId ? `  as ${k.memberId}` : ''}` +
                  `${k.expiresAt ? `  expires ${k.expiresAt}` : ''}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}` +
                  `${k.lastUsedAt ? `  last used ${k.lastUsedAt}` : ''}`,
              )
              .join('\n') || 'No keys.',
        );
        return 0;
      }
      if (args[0] === 'revoke') {
        const revoked = await ctx.apiKeys.revoke(operator, required(args[1], 'key id'), 'cli');
        print(
          options.json as boolean,
          revoked,
          () => `Revoked ${revoked.id} (${revoked.name}); it stops working at once.`,
        );
        return 0;
      }
      const scopes =
        typeof options.scopes === 'string' ? options.scopes.split(',').map((x) => x.trim()) : undefined;
      const created = await ctx.apiKeys.create(
        operator,
        required(args[0], 'workspace'),
        {
          name: (options.name as string) ?? 'cli',
          scopes,
          memberId: (options.member as string | undefined) ?? null,
          expiresAt: (options.expires as string | undefined) ?? null,
        },
        'cli',
      );
      print(
        options.json as boolean,
        created,
        () => `API key ${created.id} [${created.scopes.join(' ')}] (shown once): ${created.key}`,
      );
      return 0;
    }),

  'login-link': ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      const operator = { kind: 'operator', keyId: null, name: `cli:${config.USER ?? 'operator'}` } as const;
      const base = config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`;
      const link = await ctx.webAccess.createLoginLink(
        operator,
        required(args[0], 'workspace'),
        required(options.member as string | undefined, '--member'),
        base,
      );
      print(
        options.json as boolean,
        { url: link.url, expiresAt: link.expiresAt },
        () => `Sign-in link for the web console (works once, until ${link.expiresAt}):\n${link.url}`,
      );
      return 0;
    }),

  grant: ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      const type = ((options.type as string | undefined) ?? 'purchased') as LotType;
      if (!LOT_TYPES.includes(type))
        throw CreditsError.field('type', `must be one of ${LOT_TYPES.join(', ')}`);
      const amount = wholeNumber(args[1], 'amount');
      const result = await ctx.ledger.grant(required(args[0], 'workspace'), {
        type,
        amount,
        reason: required(options.reason, 'reason'),
        expiresAt: (options.expires as string | undefined) ?? null,
        idempotencyKey: (options.key as string | undefined) ?? `cli:grant:${Date.now()}:${process.pid}`,
        actor: `cli:${config.USER ?? 'operator'}`,
        source: 'cli',
      });
      print(
        options.json as boolean,
        result,
        () => `Granted ${amount} ${type} credits (lot ${result.lot.id}).\n\n${formatBalance(result.balance)}`,
      );
      return 0;
    }),

  debit: ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      const params = Object.fromEntries(
        ((options.param as string[] | undefined) ?? []).map((p) => {
          const at = p.indexOf('=');
          if (at < 1) throw CreditsError.field('param', `expected key=value, got ${JSON.stringify(p)}`);
          return [p.slice(0, at), p.slice(at + 1)];
        }),
      );
      const result = await ctx.ledger.debit(required(args[0], 'workspace'), {
        ...(options.operation
          ? {
              operation: options.operation as string,
              params,
              quantity: options.quantity ? wholeNumber(options.quantity, 'quantity') : undefined,
            }
          : { amount: wholeNumber(args[1], 'amount') }),
        idempotencyKey: (options.key as string | undefined) ?? `cli:debit:${Date.now()}:${process.pid}`,
        actor: `cli:${config.USER ?? 'operator'}`,
        source: 'cli',
      });
      print(
        options.json as boolean,
        result,
        () =>
          `Debited ${result.transaction.amount} credits (transaction ${result.transaction.id}).\n\n${formatBalance(result.balance)}`,
      );
      return 0;
    }),

  balance: ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      const balance = await ctx.ledger.balance(required(args[0], 'workspace'));
      print(options.json as boolean, balance, () => formatBalance(balance));
      return 0;
    }),

  history: ({ args, options, config }) =>
    withContext(config, async (ctx) => {
      const page = await transactions(ctx.sql, required(args[0], 'workspace'), {
        limit: options.limit ? wholeNumber(options.limit, 'limit') : 20,
        kind: options.kind as never,
        operation: options.operation as string | undefined,
      });
      print(options.json as boolean, page, () => formatTransactions(page.items));
      return 0;
    }),

  expire: ({ options, config }) =>
    withContext(config, async (ctx) => {
      const results = await ctx.ledger.expireDue();
      const entries = results.flatMap((r) => r.transactions);
      print(
        options.json as boolean,
        results,
        () => `Wrote ${entries.length} expiry entries in ${results.length} workspaces.`,
      );
      return 0;
    }),

  verify: ({ options, config }) =>
    withContext(config, async (ctx) => {
      const violations = await verifyLedger(ctx.sql, options.workspace as string | undefined);
      if (options.json) console.log(JSON.stringify({ ok: violations.length === 0, violations }, null, 2));
      else if (violations.length === 0)
        console.log('Ledger verified: every lot matches its journal, every balance its lots.');
      else {
        console.log(`${violations.length} invariant violation(s):`);
        for (const v of violations) console.log(`  [${v.rule}] ${v.message}`);
      }
      return violations.length === 0 ? 0 : 1;
    }),

  report: async ({ args, options, config }) => {
    if (args[0] !== 'revenue') {
      console.error(
        `Unknown report "${args[0] ?? ''}": try "report revenue --from 2026-11-01 --to 2026-12-01".`,
      );
      return 1;
    }
    const period = parsePeriod(options.from as string | undefined, options.to as string | undefined);
    return withContext(config, async (ctx) => {
      const workspace = options.workspace as string | undefined;
      const report = await ctx.ledger.revenue({
        ...period,
        currency: ctx.catalog.currency,
        ...(workspace ? { workspaceId: workspace } : {}),
      });
      if (options.csv) process.stdout.write(revenueCsv(report));
      else print(options.json as boolean | undefined, report, () => formatRevenue(report));
      return 0;
    });
  },
};
