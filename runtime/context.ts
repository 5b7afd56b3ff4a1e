import { ApiKeys } from '../application/api-keys.js';
import type { CoreServices } from '../application/services.js';
import { WebAccess } from '../application/web-access.js';
import { defaultCatalogPath, loadCatalog } from '../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../ledger/catalog/ledger-catalog.js';
import { connect, type Sql } from '../ledger/db.js';
import { Ledger, type LedgerOptions } from '../ledger/ledger.js';
import { Reports } from '../ledger/reports.js';
import { WorkspaceDirectory } from '../ledger/workspaces.js';

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
