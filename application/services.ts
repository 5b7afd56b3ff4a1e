import type { Catalog } from '../ledger/catalog/schema.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Reports } from '../ledger/reports.js';
import type { WorkspaceDirectory } from '../ledger/workspaces.js';
import type { WebAccess } from './web-access.js';

/**
 * What every adapter (API, bots, workflows, n8n's server side, agents) is handed: the ledger's
 * facades and the catalog, never the database connection. Built once per process by runtime/.
 */
export interface CoreServices {
  catalog: Catalog;
  ledger: Ledger;
  directory: WorkspaceDirectory;
  reports: Reports;
  /** Sign-in links to the web console (`/credits web`); absent where no console is served. */
  webAccess?: WebAccess;
}
