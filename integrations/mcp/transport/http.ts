import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../../../application/access.js';
import type { ApiKeys } from '../../../application/api-keys.js';
import { LARGE_BODY_BYTES, MAX_JSON_DEPTH, nestsDeeperThan } from '../../../application/request-limits.js';
import { isCreditsError } from '../../../ledger/errors.js';
import { type InProcessDeps, inProcessGateway } from '../in-process.js';
import { createCreditsMcpServer } from '../server.js';

export interface McpHttpDeps extends InProcessDeps {
  /** The same key authentication as the HTTP API (scopes, member binding, revocation on every replica). */
  apiKeys: ApiKeys;
  /** OPERATOR_API_KEY, when set. */
  operatorKey?: string;
  /** RATE_LIMIT_*: requests per key and replica, as on the API (its own budget, beside the API's). */
  rateLimit?: { points: number; durationSeconds: number };
}

const MAX_BODY_BYTES = LARGE_BODY_BYTES;

type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Streamable HTTP at `/mcp` (stateless: a fresh server per request, so any replica answers any
 * request). The Bearer key is authenticated exactly as the API does it; each tool is then
 * authorised through MCP_TOOL_POLICIES.
 */
export function mcpHttpListener(deps: McpHttpDeps): NodeListener {
  const operatorDigest = deps.operatorKey ? sha256(deps.operatorKey) : null;
  const limiter = deps.rateLimit
    ? new RateLimiterMemory({ points: deps.rateLimit.points, duration: deps.rateLimit.durationSeconds })
    : null;

  /** Seconds to wait when `principal` is past its limit, else null (the operator is not limited). */
  async function limited(principal: Principal): Promise<number | null> {
    if (!limiter || principal.kind === 'operator') return null;
    const id =
      principal.kind === 'key' ? principal.keyId : `member:${principal.workspaceId}:${principal.memberId}`;
    try {
      await limiter.consume(id);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    }
  }

  async function principalOf(header: string | undefined): Promise<Principal | null> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) return null;
    if (operatorDigest && timingSafeEqual(sha256(token), operatorDigest)) {
      return { kind: 'operator', keyId: null, name: 'operator' };
    }
    return deps.apiKeys.authenticate(token);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let principal: Principal | null;
    try {
      principal = await principalOf(req.headers.authorization);
    } catch (error) {
      // A key that no longer works (it approves as someone who lost the role): 401, saying why.
      if (!isCreditsError(error) || error.code !== 'unauthorized') throw error;
      return reply(res, 401, 'unauthorized', error.message, { 'WWW-Authenticate': 'Bearer' });
    }
    if (!principal) {
      const message = req.headers.authorization
        ? 'unknown, revoked or expired API key'
        : 'missing API key: send "Authorization: Bearer <key>"';
      return reply(res, 401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer' });
    }
    const wait = await limited(principal);
    if (wait !== null) {
      return reply(res, 429, 'rate_limited', `too many requests for this key; retry in ${wait} s`, {
        'Retry-After': String(wait),
      });
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req);
      if (raw === null)
        return reply(
          res,
          413,
          'invalid_request',
          `request body too large (${MAX_BODY_BYTES / 1024} KiB at most)`,
          // The rest of the body is not read: the connection cannot carry another request.
          { Connection: 'close' },
        );
      if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
        return reply(
          res,
          400,
          'invalid_request',
          `the body nests arrays and objects more than ${MAX_JSON_DEPTH} deep`,
        );
      }
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(res, 400, 'invalid_request', 'the body is not valid JSON');
      }
    }
    const server = createCreditsMcpServer(inProcessGateway(deps, principal));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[mcp] request failed', error);
      if (!res.headersSent) reply(res, 500, 'internal', 'the MCP request failed');
      else res.end();
    });
  };
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function reply(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message, details: {} } }));
}

/** The body as text, or null past MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
