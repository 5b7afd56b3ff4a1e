import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type CreatedApp, createApp } from './app.js';
import type { ApiContext } from './context.js';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** A raw Node listener served for a path prefix before the API (e.g. the Slack receiver on `/slack/events`). */
export interface Mount {
  path: string;
  listener: NodeListener;
}

export interface ApiServerOptions {
  ctx: ApiContext;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  mounts?: Mount[];
}

export interface ApiServer {
  url: string;
  port: number;
  /** The Hono app being served (its `metrics` registry included). */
  app: CreatedApp;
  close(): Promise<void>;
}

function matches(url: string | undefined, prefix: string): boolean {
  const path = (url ?? '/').split('?')[0]!;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(`${p}/`);
}

/** Serves the API (and any mounts) over HTTP; resolves once listening. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = createApp(options.ctx);
  const api = getRequestListener(app.fetch);
  const mounts = options.mounts ?? [];
  const server = createServer((req, res) => {
    const mount = mounts.find((m) => matches(req.url, m.path));
    if (mount) {
      mount.listener(req, res);
      return;
    }
    void api(req, res);
  });
  server.keepAliveTimeout = 65_000;
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
  return {
    url: `http://${shownHost}:${port}`,
    port,
    app,
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
