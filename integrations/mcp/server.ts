import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type CreditsGateway, ToolFailure } from './gateway.js';
import { TOOLS } from './tools.js';

export const CATALOG_URI = 'credits://catalog';

/** One MCP server over a gateway: every tool of ./tools.ts and the catalog as a resource. */
export function createCreditsMcpServer(gateway: CreditsGateway): McpServer {
  const server = new McpServer(
    { name: 'credits', title: 'Credits', version: '0.1.0' },
    {
      instructions:
        'Credits: the credit balance behind AI features. Check the balance or estimate a cost before spending; ' +
        'debit_credits needs an idempotencyKey (reuse it on retries, it is applied once). ' +
        'Prices, plans and packages are in the credits://catalog resource.',
    },
  );

  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      async (args: unknown): Promise<CallToolResult> => {
        try {
          gateway.authorize(tool.name);
          const result = await tool.run(gateway, args);
          return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
        } catch (error) {
          return toolError(error);
        }
      },
    );
  }

  server.registerResource(
    'catalog',
    CATALOG_URI,
    {
      title: 'Catalog',
      description: 'Plans, credit packages and what every operation costs (min, expected, max)',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await gateway.catalog()) },
      ],
    }),
  );
  return server;
}

/**
 * A refusal as an MCP tool error the agent can act on: the API's code and message, then the
 * failing fields or the missing scope spelled out. No structured content: clients check it
 * against the tool's output schema even on errors.
 */
export function toolError(error: unknown): CallToolResult {
  const failure =
    error instanceof ToolFailure
      ? error
      : isCodedError(error)
        ? new ToolFailure(error.code, error.message, error.details ?? {})
        : null;
  if (!failure) {
    console.error('[mcp] unexpected error', error);
    return {
      isError: true,
      content: [{ type: 'text', text: 'internal error: the tool failed unexpectedly' }],
    };
  }
  const lines = [`${failure.code}: ${failure.message}`];
  const { fields, missingScope } = failure.details as {
    fields?: { field: string; message: string }[];
    missingScope?: string;
  };
  if (missingScope) lines.push(`missing scope: ${missingScope}`);
  if (failure.code === 'budget_exceeded') {
    // The agent was refused by a budget: say which, and how to ask for more.
    const d = failure.details as {
      budgetId?: string;
      limit?: number;
      used?: number;
      requested?: number;
      resetsAt?: string;
    };
    lines.push(
      `budget ${d.budgetId}: limit ${d.limit}, used ${d.used}, requested ${d.requested}, resets at ${d.resetsAt}`,
      `ask for more with request_budget_raise { "budgetId": "${d.budgetId}", "amount": …, "reason": … }, then retry once it is approved`,
    );
  }
  for (const f of fields ?? []) {
    const line = `field ${f.field}: ${f.message}`;
    if (!failure.message.includes(`${f.field}: ${f.message}`)) lines.push(line);
  }
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}

function isCodedError(e: unknown): e is Error & { code: string; details?: Record<string, unknown> } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && 'details' in e;
}
