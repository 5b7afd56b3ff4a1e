import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createCreditsMcpServer } from '../server.js';
import { type ApiClientOptions, apiClientGateway } from './api-client.js';

/**
 * `credits mcp`: MCP over stdin/stdout against the HTTP API. stdout carries only the protocol;
 * anything said to a human goes to stderr. Resolves when the client closes the connection.
 */
export async function serveStdio(options: ApiClientOptions): Promise<void> {
  const server = createCreditsMcpServer(apiClientGateway(options));
  const transport = new StdioServerTransport();
  await server.connect(transport);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  console.error(`[mcp] Credits MCP server on stdio, talking to ${options.baseUrl}`);
  await closed;
  await server.close();
}
