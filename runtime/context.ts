import { ApiKeys } from '../application/api-keys.js';
import type { CoreServices } from '../application/services.js';
import { WebAccess } from '../application/web-access.js';
import { defaultCatalogPath, loadCatalog } from '../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../ledger/catalog/ledger-catalog.js';
import { connect, type Sql } from '../ledger/db.js';
import { type BalanceChange, Ledger, type LedgerOptions } from '../ledger/ledger.js';
import { Reports } from '../ledger/reports.js';
import { WorkspaceDirectory } from '../ledger/workspaces.js';
import { type LifecycleTiming, lifecycleTiming } from '../workflows/deps.js';
import type { Config } from './config.js';

/**
 * The services of one process: what adapters get (CoreServices) plus the connection, which only
 * runtime/ and cli/ touch (migrations, verify, shutdown).
 */
export interface AppContext extends CoreServices {
  /** Who a presented API key is (the API authenticates through it). */
  apiKeys: ApiKeys;
  /** Sign-in links, console sessions and widget tokens. */
  webAccess: WebAccess;
  sql: Sql;
  catalogFile: string;
  close(): Promise<void>;
}

export interface ContextOptions {
  databaseUrl: string;
  catalogFile?: string;
  ledger?: LedgerOptions;
  poolMax?: number;
  /** A console session unused this long ends (default 30 minutes). */
  webIdleMs?: number;
}

export function createContext(options: ContextOptions): AppContext {
  const catalogFile = options.catalogFile ?? defaultCatalogPath();
  const catalog = loadCatalog(catalogFile);
  const sql = connect(options.databaseUrl, { max: options.poolMax });
  const ledger = new Ledger(sql, ledgerCatalog(catalog), options.ledger);
  const directory = new WorkspaceDirectory(sql, planKeys(catalog));
  const apiKeys = new ApiKeys({ store: ledger.apiKeys, directory, clock: () => ledger.now() });
  return {
    sql,
    catalog,
    catalogFile,
    ledger,
    directory,
    reports: new Reports(sql),
    apiKeys,
    webAccess: new WebAccess({
      store: ledger.webAccess,
      directory,
      clock: () => ledger.now(),
      idleMs: options.webIdleMs,
    }),
    close: async () => {
      await apiKeys.close();
      await sql.end({ timeout: 5 });
    },
  };
}

/** Fans balance changes out to whoever subscribes later (the worker's alert dispatcher). */
export class BalanceChanges {
  private readonly listeners: ((change: BalanceChange) => void)[] = [];
  emit = (change: BalanceChange): void => {
    for (const listener of this.listeners) listener(change);
  };
  subscribe(listener: (change: BalanceChange) => void): void {
    this.listeners.push(listener);
  }
}

/** The billing timing every role shares (a fixed period for demos and tests, else calendar months). */
export function timingOf(config: Config): LifecycleTiming {
  return lifecycleTiming(config.SUBSCRIPTION_PERIOD_SECONDS);
}

/**
 * The context every entry point gets (each role, the CLI's commands and its chat console): the
 * settings decide the catalog, the pool and the billing period, so a balance reads the same renewal
 * in every process. `changes` receives the ledger's balance changes (the worker's alert dispatcher).
 */
export function contextFor(
  config: Config,
  databaseUrl: string,
  options: { changes?: BalanceChanges; poolMax?: number } = {},
): AppContext {
  return createContext({
    databaseUrl,
    catalogFile: config.CATALOG_FILE,
    poolMax: options.poolMax ?? config.DATABASE_POOL_MAX,
    webIdleMs: config.WEB_SESSION_IDLE_MINUTES * 60_000,
    ledger: {
      cyclePeriodMs: timingOf(config).periodMs,
      debitCallsInFlight: config.DEBIT_CALLS_IN_FLIGHT,
      ...(options.changes ? { onBalanceChange: options.changes.emit } : {}),
    },
  });
}
