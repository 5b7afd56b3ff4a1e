import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type CreatedApp, createApp } from './app.js';
import type { ApiContext } from './context.js';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A raw Node listener served for a path prefix before the API (e.g. the Slack receiver on
 * `/slack/events`), behind `withBodyLimit`.
 */
export interface Mount {
  path: string;
  listener: NodeListener;
}

/** What a mount (the Slack receiver) may receive: Slack's events and interactions are far smaller. */
export const MOUNT_BODY_LIMIT = 1024 * 1024;

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: 411 | 413,
  message: string,
  maxBytes: number,
) {
  const body = JSON.stringify({
    error: { code: 'invalid_request', message, details: { fields: [{ field: 'body', message }], maxBytes } },
  });
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  // Nothing of the body is read: the connection closes once the answer is out.
  res.end(body, () => req.destroy());
}

/**
 * Puts a body limit in front of a raw listener, decided from the headers before a byte of the
 * body is read: the listener behind (Bolt buffers the whole body before it checks Slack's
 * signature) never sees a request over `maxBytes`. A body must state its Content-Length (Slack
 * always does), since Node's parser then stops at that length; a chunked body gets 411.
 */
export function withBodyLimit(listener: NodeListener, maxBytes = MOUNT_BODY_LIMIT): NodeListener {
  return (req, res) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (chunked) {
      refuse(req, res, 411, 'send the body with a Content-Length, not chunked', maxBytes);
      return;
    }
    if (length !== undefined && !(Number(length) <= maxBytes)) {
      refuse(req, res, 413, `the request body is too large (at most ${maxBytes} bytes)`, maxBytes);
      return;
    }
    listener(req, res);
  };
}

export interface ApiServerOptions {
  ctx: ApiContext;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Open connections at once; more are refused (default 1000). */
  maxConnections?: number;
  mounts?: Mount[];
  /** Mounts that call the app in-process (the web console), made once the app exists. */
  appMounts?: (app: CreatedApp, serverUrl: string) => Mount[];
}

export interface ApiServer {
  url: string;
  port: number;
  /** The Hono app being served (its `metrics` registry included). */
  app: CreatedApp;
  /** The Node server (its timeouts and connection cap). */
  server: Server;
  close(): Promise<void>;
}

function matches(url: string | undefined, prefix: string): boolean {
  const path = (url ?? '/').split('?')[0]!;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(`${p}/`);
}

/** Time to receive a request's headers, and the whole request (the largest body is 1 MiB). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Serves the API (and any mounts) over HTTP; resolves once listening. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  // Listen first: the app and its links need the address (never a request's Host header).
  let handle: NodeListener | null = null;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503, { 'retry-after': '1' }).end();
  });
  server.keepAliveTimeout = 65_000;
  // A client that trickles its headers or body holds a connection no longer than this.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = options.maxConnections ?? 1000;
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  const app = createApp({ ...options.ctx, serverUrl: url });
  const api = getRequestListener(app.fetch);
  const mounts = [...(options.mounts ?? []), ...(options.appMounts?.(app, url) ?? [])].map((m) => ({
    ...m,
    listener: withBodyLimit(m.listener),
  }));
  handle = (req, res) => {
    const mount = mounts.find((m) => matches(req.url, m.path));
    if (mount) {
      mount.listener(req, res);
      return;
    }
    void api(req, res);
  };
  return {
    url,
    port,
    app,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Stop accepting; requests in flight get their answer, and each keep-alive connection
        // closes once idle. Whatever is still open after the grace period is cut.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => server.closeAllConnections(), 5000);
        server.close((err) => {
          clearInterval(idle);
          clearTimeout(cut);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
