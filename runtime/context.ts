import type { CoreServices } from '../application/services.js';
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
  sql: Sql;
  catalogFile: string;
  close(): Promise<void>;
}

export interface ContextOptions {
  databaseUrl: string;
  catalogFile?: string;
  ledger?: LedgerOptions;
  poolMax?: number;
}

export function createContext(options: ContextOptions): AppContext {
  const catalogFile = options.catalogFile ?? defaultCatalogPath();
  const catalog = loadCatalog(catalogFile);
  const sql = connect(options.databaseUrl, { max: options.poolMax });
  return {
    sql,
    catalog,
    catalogFile,
    ledger: new Ledger(sql, ledgerCatalog(catalog), options.ledger),
    directory: new WorkspaceDirectory(sql, planKeys(catalog)),
    reports: new Reports(sql),
    close: () => sql.end({ timeout: 5 }),
  };
}
