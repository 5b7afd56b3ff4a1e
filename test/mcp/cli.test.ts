import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { MCP_TOOL_POLICIES } from '../../application/policies.js';

const cli = (env: Record<string, string>) => ({
  cwd: process.cwd(),
  env: { PATH: process.env.PATH ?? '', ...env },
  encoding: 'utf8' as const,
  timeout: 30_000,
});

describe('credits mcp (stdio)', () => {
  it('stdout carries only MCP messages; what a human reads goes to stderr', async () => {
    const child = spawn(
      process.execPath,
      ['bin/credits.js', 'mcp'],
      cli({ CREDITS_API_URL: 'http://127.0.0.1:9', CREDITS_API_KEY: 'cr_ws_unused' }),
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const lines: string[] = [];
    const gotTwo = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (lines.length === 2) resolve();
      });
    });
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await gotTwo;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end(); // the client hangs up: the server exits cleanly
    expect(await exited).toBe(0);
    const messages = lines.map(
      (l) => JSON.parse(l) as { jsonrpc: string; id: number; result: { tools?: unknown[] } },
    );
    expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true);
    expect(messages.map((m) => m.id)).toEqual([1, 2]);
    expect(messages[1]!.result.tools).toHaveLength(Object.keys(MCP_TOOL_POLICIES).length);
    expect(stderr).toContain('[mcp] Credits MCP server on stdio, talking to http://127.0.0.1:9');
  });

  it('a tool call against an unreachable API is a tool error saying so', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const client = new Client({ name: 't', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['bin/credits.js', 'mcp'],
        env: { CREDITS_API_URL: 'http://127.0.0.1:9', CREDITS_API_KEY: 'cr_ws_x', CREDITS_WORKSPACE: 'demo' },
        stderr: 'ignore',
      }),
    );
    try {
      const result = await client.callTool({ name: 'get_balance', arguments: {} });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain(
        'unavailable: cannot reach the Credits API at http://127.0.0.1:9',
      );
    } finally {
      await client.close();
    }
  });

  it('refuses to start without CREDITS_API_URL or CREDITS_API_KEY, or with a bad URL, naming the variable', () => {
    const noUrl = spawnSync(process.execPath, ['bin/credits.js', 'mcp'], cli({ CREDITS_API_KEY: 'k' }));
    expect(noUrl.status).toBe(1);
    expect(noUrl.stdout).toBe('');
    expect(noUrl.stderr).toContain('CREDITS_API_URL');
    const noKey = spawnSync(
      process.execPath,
      ['bin/credits.js', 'mcp'],
      cli({ CREDITS_API_URL: 'http://x' }),
    );
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('CREDITS_API_KEY');
    const badUrl = spawnSync(
      process.execPath,
      ['bin/credits.js', 'mcp'],
      cli({ CREDITS_API_URL: 'credits.example.org', CREDITS_API_KEY: 'k' }),
    );
    expect(badUrl.status).toBe(1);
    expect(badUrl.stderr).toMatch(/CREDITS_API_URL: must be an http:\/\/ or https:\/\/ URL/);
  });
});
