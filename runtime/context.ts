import { defaultCatalogPath, loadCatalog } from '../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../ledger/catalog/ledger-catalog.js';
import type { Catalog } from '../ledger/catalog/schema.js';
import { connect, type Sql } from '../ledger/db.js';
import { Ledger, type LedgerOptions } from '../ledger/ledger.js';
import { Directory } from '../ledger/workspaces.js';

/** Everything the API, the bots, the CLI and the worker share, built once per process. */
export interface AppContext {
  sql: Sql;
  catalog: Catalog;
  catalogFile: string;
  ledger: Ledger;
  directory: Directory;
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
  const ledger = new Ledger(sql, ledgerCatalog(catalog), options.ledger);
  const directory = new Directory(sql, planKeys(catalog));
  return {
    sql,
    catalog,
    catalogFile,
    ledger,
    directory,
    close: () => sql.end({ timeout: 5 }),
  };
}
