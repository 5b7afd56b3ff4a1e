import { describe, expect, it } from 'vitest';
import type { Principal, Scope } from '../../application/access.js';
import { API_POLICIES, MCP_TOOL_POLICIES } from '../../application/policies.js';
import { inProcessGateway } from '../../integrations/mcp/in-process.js';
import { TOOLS } from '../../integrations/mcp/tools.js';

const keyWith = (scopes: Scope[]): Principal => ({
  kind: 'key',
  keyId: 'key_t',
  workspaceId: 'ws',
  name: 't',
  scopes,
  memberId: null,
});

describe('MCP_TOOL_POLICIES', () => {
  it('has an entry for every tool, and no entry without a tool', () => {
    const tools = TOOLS.map((t) => t.name).sort();
    expect(tools).toHaveLength(12);
    const withoutPolicy = tools.filter((name) => !(name in MCP_TOOL_POLICIES));
    expect(withoutPolicy, 'tools without an entry in application/policies.ts MCP_TOOL_POLICIES').toEqual([]);
    expect(Object.keys(MCP_TOOL_POLICIES).sort()).toEqual(tools);
  });

  it('asks for the scope of the API operation each tool stands for', () => {
    const apiOperation: Record<string, string> = {
      get_balance: 'getBalance',
      estimate_cost: 'createEstimate',
      check_affordable: 'createEstimate',
      debit_credits: 'createDebit',
      hold_credits: 'createHold',
      capture_hold: 'captureHold',
      release_hold: 'releaseHold',
      list_transactions: 'listTransactions',
      get_usage: 'getUsage',
      request_purchase: 'createPurchase',
      get_budgets: 'listBudgets',
      request_budget_raise: 'createBudgetRaise',
    };
    for (const [tool, policy] of Object.entries(MCP_TOOL_POLICIES)) {
      expect(policy, tool).toEqual(API_POLICIES[apiOperation[tool]!]);
    }
  });

  it('the in-process gateway refuses every tool to a key without its scope, naming the scope', () => {
    // Only authorisation is exercised: no service is reached.
    const gateway = inProcessGateway({} as never, keyWith([]));
    for (const tool of TOOLS) {
      const { scope } = MCP_TOOL_POLICIES[tool.name];
      expect(() => gateway.authorize(tool.name), tool.name).toThrow(scope);
      const allowed = inProcessGateway({} as never, keyWith([scope]));
      expect(() => allowed.authorize(tool.name)).not.toThrow();
    }
  });
});
