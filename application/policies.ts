import type { Requirement } from './access.js';

/**
 * Who may do what, in one place, for every entry point: the HTTP API (by operationId), chat (by
 * what is asked), the MCP server's tools (by tool name) and the n8n node (by the API operation each
 * of its operations calls). The API
 * refuses to start with a route missing here, and test/application/policies.test.ts runs every
 * route against every kind of caller.
 */
export const API_POLICIES: Readonly<Record<string, Requirement>> = {
  // Service
  getHealth: { public: true },
  getMetrics: { public: true },
  getCatalog: { authenticated: true },
  getWhoami: { authenticated: true },

  // Workspaces (created, changed and linked by the operator)
  createWorkspace: { operator: true },
  listWorkspaces: { operator: true },
  getWorkspace: { scope: 'balance:read' },
  updateWorkspace: { operator: true },
  createChatLink: { operator: true },
  listChatLinks: { scope: 'balance:read' },
  createMember: { scope: 'members:manage' },
  listMembers: { scope: 'members:manage' },

  // Keys (a key can only hand out scopes it holds itself)
  createApiKey: { scope: 'keys:manage' },
  listApiKeys: { scope: 'keys:manage' },
  revokeApiKey: { scope: 'keys:manage' },

  // The ledger
  getBalance: { scope: 'balance:read' },
  listLots: { scope: 'balance:read' },
  getTransaction: { scope: 'balance:read' },
  listTransactions: { scope: 'balance:read' },
  getUsage: { scope: 'balance:read' },
  createEstimate: { scope: 'balance:read' },
  getAffordability: { scope: 'balance:read' },
  createDebit: { scope: 'credits:spend' },
  createHold: { scope: 'credits:spend' },
  getHold: { scope: 'balance:read' },
  captureHold: { scope: 'credits:spend' },
  releaseHold: { scope: 'credits:spend' },
  reverseTransaction: { scope: 'credits:reverse' },
  createGrant: { operator: true },
  createAdjustment: { operator: true },

  // Purchases (approvals act as the member bound to the key)
  createPurchase: { scope: 'purchases:request' },
  getPurchase: { scope: 'balance:read' },
  approvePurchase: { scope: 'purchases:approve' },
  rejectPurchase: { scope: 'purchases:approve' },
  listPurchases: { scope: 'balance:read' },
  // Refunds and voids move money: an approver's key (bound to an owner or admin) or the operator
  refundPurchase: { scope: 'purchases:approve' },
  voidLot: { operator: true },
  getRevenueReport: { operator: true },

  // Budget raises: the budget's own spender asks; owners and admins decide (as the bound member)
  createBudgetRaise: { scope: 'credits:spend' },
  getBudgetRaise: { scope: 'balance:read' },
  listBudgetRaises: { scope: 'balance:read' },
  approveBudgetRaise: { scope: 'purchases:approve' },
  rejectBudgetRaise: { scope: 'purchases:approve' },

  // Settings and their history
  getAlerts: { scope: 'balance:read' },
  putAlerts: { scope: 'settings:write' },
  getAutoTopUp: { scope: 'balance:read' },
  putAutoTopUp: { scope: 'settings:write' },
  createBudget: { scope: 'settings:write' },
  listBudgets: { scope: 'balance:read' },
  getBudget: { scope: 'balance:read' },
  updateBudget: { scope: 'settings:write' },
  deleteBudget: { scope: 'settings:write' },
  getAudit: { scope: 'members:manage' },

  // The web console and widget (a link must not grant more than its minter holds: application/web-access.ts)
  createLoginLink: { scope: 'members:manage' },
  createEmbedToken: { scope: 'balance:read' },

  // Webhook endpoints (their secrets sign events: the operator sets and rotates them)
  getWebhook: { operator: true },
  putWebhook: { operator: true },
  rotateWebhookSecret: { operator: true },
  deleteWebhook: { operator: true },

  // Stripe's events: no key; each is verified by its Stripe-Signature (STRIPE_WEBHOOK_SECRET)
  receiveStripeWebhook: { public: true },
};

/** What chat may be asked, by intent (members act through their role's scopes). */
export const CHAT_POLICIES = {
  help: { public: true },
  balance: { scope: 'balance:read' },
  renewal: { scope: 'balance:read' },
  runway: { scope: 'balance:read' },
  why: { scope: 'balance:read' },
  estimate: { scope: 'balance:read' },
  campaign: { scope: 'balance:read' },
  history: { scope: 'balance:read' },
  usage: { scope: 'balance:read' },
  alerts: { scope: 'balance:read' },
  setAlerts: { scope: 'settings:write' },
  buy: { scope: 'purchases:request' },
  pending: { scope: 'balance:read' },
  decide: { scope: 'purchases:approve' },
  // Budgets: anyone may read them; limits are settings; the spender asks for a raise; approvers decide.
  budgets: { scope: 'balance:read' },
  setBudget: { scope: 'settings:write' },
  requestRaise: { scope: 'credits:spend' },
  decideRaise: { scope: 'purchases:approve' },
  // "refund purchase-…": owners and admins (the use case also requires the owner role in chat)
  refund: { scope: 'purchases:approve' },
  audit: { scope: 'members:manage' },
  plan: { scope: 'balance:read' },
  creditTypes: { scope: 'balance:read' },
  autoTopUp: { scope: 'balance:read' },
  // The use case also needs purchases:approve to set or raise the automatically approved budget.
  setAutoTopUp: { scope: 'settings:write' },
  needCredits: { scope: 'balance:read' },
  keys: { scope: 'keys:manage' },
  smallTalk: { public: true },
  // A member's own sign-in link: it grants exactly their role, nothing more.
  web: { scope: 'balance:read' },
} as const satisfies Record<string, Requirement>;

export type ChatAction = keyof typeof CHAT_POLICIES;

/** The n8n node's operations, by the API operation each calls (its policy is that operation's). */
export const N8N_OPERATIONS: Readonly<Record<string, keyof typeof API_POLICIES>> = {
  'credit.debit': 'createDebit',
  'credit.check': 'createEstimate',
  'credit.estimate': 'createEstimate',
  'credit.getBalance': 'getBalance',
  'credit.reverse': 'reverseTransaction',
  'hold.hold': 'createHold',
  'hold.capture': 'captureHold',
  'hold.release': 'releaseHold',
  'purchase.request': 'createPurchase',
  'purchase.get': 'getPurchase',
  'transaction.getAll': 'listTransactions',
  'usage.get': 'getUsage',
  'budget.getAll': 'listBudgets',
  'budget.requestRaise': 'createBudgetRaise',
  // The node's option lists (loadOptions), by method name.
  'loadOptions.getCatalogOperations': 'getCatalog',
  'loadOptions.getCatalogPackages': 'getCatalog',
};

/**
 * The MCP server's tools, by tool name, as served in-process at `/mcp` (the stdio server calls the
 * HTTP API with its key, so API_POLICIES apply there). test/mcp/policies.test.ts fails when a tool
 * has no entry; the catalog resource follows `getCatalog`.
 */
export const MCP_TOOL_POLICIES = {
  get_balance: { scope: 'balance:read' },
  estimate_cost: { scope: 'balance:read' },
  check_affordable: { scope: 'balance:read' },
  debit_credits: { scope: 'credits:spend' },
  hold_credits: { scope: 'credits:spend' },
  capture_hold: { scope: 'credits:spend' },
  release_hold: { scope: 'credits:spend' },
  list_transactions: { scope: 'balance:read' },
  get_usage: { scope: 'balance:read' },
  request_purchase: { scope: 'purchases:request' },
  get_budgets: { scope: 'balance:read' },
  // A refused agent asks for more of its own budget; owners and admins decide.
  request_budget_raise: { scope: 'credits:spend' },
} as const satisfies Record<string, Requirement>;

export type McpToolName = keyof typeof MCP_TOOL_POLICIES;

/**
 * The web console's pages and form actions, by name (integrations/web registers every route
 * through this table and refuses to start with one missing; test/application/policies.test.ts
 * checks each). The API operations they call are checked again against API_POLICIES.
 */
export const WEB_POLICIES = {
  // Signing in and out, and the static files (no data in them)
  signInPage: { public: true },
  signIn: { public: true },
  signOut: { authenticated: true },
  assets: { public: true },
  // Pages
  overview: { scope: 'balance:read' },
  transactions: { scope: 'balance:read' },
  transactionsCsv: { scope: 'balance:read' },
  usage: { scope: 'balance:read' },
  purchases: { scope: 'balance:read' },
  purchase: { scope: 'balance:read' },
  settings: { scope: 'balance:read' },
  keys: { scope: 'keys:manage' },
  audit: { scope: 'members:manage' },
  budgets: { scope: 'balance:read' },
  // Form actions
  requestPurchase: { scope: 'purchases:request' },
  approvePurchase: { scope: 'purchases:approve' },
  rejectPurchase: { scope: 'purchases:approve' },
  refundPurchase: { scope: 'purchases:approve' },
  saveAlerts: { scope: 'settings:write' },
  saveAutoTopUp: { scope: 'settings:write' },
  createKey: { scope: 'keys:manage' },
  revokeKey: { scope: 'keys:manage' },
  // Budgets: limits are settings; the budget's own spender asks for a raise; approvers decide
  saveBudget: { scope: 'settings:write' },
  deleteBudget: { scope: 'settings:write' },
  askBudgetRaise: { scope: 'credits:spend' },
  approveBudgetRaise: { scope: 'purchases:approve' },
  rejectBudgetRaise: { scope: 'purchases:approve' },
  // The widget: its script is public; its balance read is authorised by an embed token (balance only)
  widgetScript: { public: true },
  widgetBalance: { public: true },
} as const satisfies Record<string, Requirement>;

export type WebAction = keyof typeof WEB_POLICIES;
