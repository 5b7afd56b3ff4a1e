/** Zod schemas of every request and response, by resource: the handlers validate with them and /openapi.json is generated from them. */
export * from './schemas/access.js';
export * from './schemas/budget-raises.js';
export * from './schemas/budgets.js';
export * from './schemas/catalog.js';
export * from './schemas/common.js';
export * from './schemas/ledger.js';
export * from './schemas/purchases.js';
export * from './schemas/refunds.js';
export * from './schemas/web-access.js';
export * from './schemas/workspaces.js';
