import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export type Transport = 'stdio' | 'http';

/** An MCP client (the SDK's own) with `key`: spawning `bin/credits.js mcp`, or over Streamable HTTP. */
export async function connect(
  transport: Transport,
  opts: { apiUrl: string; mcpUrl: string; key: string; workspace?: string },
): Promise<{ client: Client; stderr: () => string }> {
  const client = new Client({ name: 'credits-test', version: '1.0.0' });
  let stderr = '';
  if (transport === 'stdio') {
    const t = new StdioClientTransport({
      command: process.execPath,
      args: ['bin/credits.js', 'mcp'],
      cwd: process.cwd(),
      env: {
        CREDITS_API_URL: opts.apiUrl,
        CREDITS_API_KEY: opts.key,
        ...(opts.workspace ? { CREDITS_WORKSPACE: opts.workspace } : {}),
      },
      stderr: 'pipe',
    });
    t.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await client.connect(t);
  } else {
    const t = new StreamableHTTPClientTransport(new URL(opts.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${opts.key}` } },
    });
    await client.connect(t);
  }
  return { client, stderr: () => stderr };
}

/** Calls a tool; returns the result with its text joined. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { ...result, text };
}
