import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const removedSetting = optionalString.refine((v) => v === undefined, {
  error:
    "is no longer read: set each workspace's endpoint with PUT /v1/workspaces/{ws}/webhook (operator key)",
});

/** An empty variable (`FOO=`) counts as unset, as shells and compose files write them. */
const unsetIfBlank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

const positiveSeconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .positive({ error: 'must be a positive number of seconds' })
  .refine(Number.isFinite, { error: 'must be a finite number of seconds' });

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be 0–65535' })
  .max(65535, { error: 'must be 0–65535' });

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** The environment every entry point honours (names from the spec; the same everywhere). */
const envSchema = z.object({
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    error: 'must be a postgres:// or postgresql:// URL',
  }),
  PORT: unsetIfBlank(port.default(3000)),
  /** The API's public base URL, shown in /openapi.json's `servers` (default: the address a request reached). */
  PUBLIC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(v), {
    error: 'must be an http:// or https:// URL such as https://credits.example.org',
  }),
  /** Sites allowed to embed the widget (and frame the console), comma-separated origins. */
  EMBED_ORIGINS: optionalString.refine(
    (v) => v === undefined || v.split(',').every((o) => /^https?:\/\/[^/?#\s]+$/.test(o.trim())),
    { error: 'must be comma-separated origins such as https://app.example.org,https://example.org' },
  ),
  /** The operator's webhook: last month's revenue report as CSV on the 1st (Standard Webhooks signed). */
  REVENUE_WEBHOOK_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    error: 'must be an http:// or https:// URL',
  }),
  REVENUE_WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || /^whsec_[A-Za-z0-9+/=]{24,}$/.test(v),
    {
      error: 'must be a Standard Webhooks secret: whsec_ followed by base64',
    },
  ),
  /** A console session nobody used for this long ends. */
  WEB_SESSION_IDLE_MINUTES: unsetIfBlank(wholeNumber(1, 24 * 60).default(30)),
  OPERATOR_API_KEY: optionalString.refine((v) => v === undefined || v.length >= 16, {
    error: 'must be at least 16 characters',
  }),
  CATALOG_FILE: optionalString,
  /** `credits mcp` (stdio): the hosted Credits API it talks to, and the key it acts with. */
  CREDITS_API_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(v),
    {
      error: 'must be an http:// or https:// URL such as https://credits.example.org',
    },
  ),
  CREDITS_API_KEY: optionalString,
  /** `credits mcp`: the workspace a tool acts on when the agent names none (the key's own). */
  CREDITS_WORKSPACE: optionalString,
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('credits'),
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  TEMPORAL_API_KEY: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalString,
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_API_URL: optionalString,
  // One deployment-wide secret let every receiver forge any workspace's events; each workspace now
  // has its own endpoint and secret. Refused, so an upgrade does not silently stop deliveries.
  ALERT_WEBHOOK_URL: removedSetting,
  ALERT_WEBHOOK_SECRET: removedSetting,
  /** Where `npm start` keeps the embedded PostgreSQL's data (git-ignored). */
  CREDITS_DATA_DIR: z.string().trim().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: unsetIfBlank(port.default(54329)),
  /** PostgreSQL connections per process. */
  DATABASE_POOL_MAX: unsetIfBlank(wholeNumber(1, 1000).default(20)),
  /**
   * Debit (and hold) calls each process runs at once; requests beyond them wait and go together
   * in the next call. About the database server's cores (2).
   */
  DEBIT_CALLS_IN_FLIGHT: unsetIfBlank(wholeNumber(1, 64).default(2)),
  /** The `temporal` CLI (dev server) to use instead of PATH or .tools/bin. */
  TEMPORAL_CLI: optionalString,
  /** Fixed-length billing cycles instead of calendar months (demos and tests). */
  SUBSCRIPTION_PERIOD_SECONDS: unsetIfBlank(positiveSeconds.optional()),
  /** How often the maintenance schedule runs expiry and the auto top-up sweep. */
  MAINTENANCE_INTERVAL_SECONDS: unsetIfBlank(positiveSeconds.default(60)),
  /** How long approvers have to answer a purchase request (48 h). */
  PURCHASE_APPROVAL_WINDOW_SECONDS: unsetIfBlank(positiveSeconds.default(48 * 3600)),
  /** When the weekly digest goes to linked channels (cron, UTC). */
  DIGEST_CRON: z
    .string()
    .trim()
    .regex(/^\S+( \S+){4}$/, { error: 'must be a five-field cron expression, e.g. "0 9 * * 1"' })
    .default('0 9 * * 1'),
  /** GET /healthz of `serve worker` (container health checks); off when unset. */
  WORKER_HEALTH_PORT: unsetIfBlank(port.optional()),
  /**
   * Workflows the worker keeps in memory between tasks (unset: the SDK's, from the heap size, about
   * 2,300 at a 4 GB heap). Above the number of subscriptions, a renewal wakes a cached flow instead
   * of fetching and replaying its history.
   */
  WORKER_MAX_CACHED_WORKFLOWS: unsetIfBlank(
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(2, { error: 'must be at least 2' })
      .optional(),
  ),
  /** The highest balance threshold an auto top-up policy may set, in credits. */
  AUTO_TOP_UP_MAX_BELOW: unsetIfBlank(
    z.coerce.number({ error: 'must be a whole number of credits' }).int().positive().default(1_000_000),
  ),
  /** The highest monthly budget an auto top-up policy may set, in the catalog's currency. */
  AUTO_TOP_UP_MAX_MONTHLY_BUDGET: unsetIfBlank(
    z.coerce.number({ error: 'must be an amount of money' }).nonnegative().default(10_000),
  ),
  /** Requests one API key may make per RATE_LIMIT_WINDOW_SECONDS, per replica (0 = no limit). */
  RATE_LIMIT_REQUESTS: unsetIfBlank(
    z.coerce.number({ error: 'must be a whole number' }).int().min(0).default(6000),
  ),
  RATE_LIMIT_WINDOW_SECONDS: unsetIfBlank(
    z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(60),
  ),
  /** Where the `temporal` CLI is looked for after TEMPORAL_CLI and .tools/bin. */
  PATH: optionalString,
  /** Who runs the CLI (recorded as the actor of its grants and debits). */
  USER: optionalString,
});

export type Config = z.output<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
