import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SlackCall {
  method: string;
  token: string | null;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for Slack's Web API (https://slack.com/api/<method>): accepts form-encoded or JSON
 * bodies with a Bearer token, answers `{ ok: true, … }` in the documented shapes for the methods the
 * bot uses, `{ ok: false, error }` otherwise, and records every call. It also serves response_url
 * posts under /respond/<id>.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  private server?: Server;
  private wss?: WebSocketServer;
  private sockets = new Set<WebSocket>();
  /** Socket Mode acknowledgements received, by envelope id. */
  readonly socketAcks = new Map<string, Record<string, unknown>>();
  private ackWaiters = new Map<string, (ack: Record<string, unknown>) => void>();
  private envelopeSeq = 0;
  private seq = 0;
  private waiters: { match: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  url = '';

  constructor(
    readonly botToken = 'xoxb-test-token',
    readonly appToken = 'xapp-test-token',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(body));
        },
        (err) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    // Socket Mode: apps.connections.open hands out this WebSocket URL; the server says hello and
    // sends envelopes, the app acknowledges each with {envelope_id, payload?}.
    this.wss = new WebSocketServer({ server: this.server, path: '/link' });
    this.wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (raw) => {
        const ack = JSON.parse(String(raw)) as Record<string, unknown>;
        const id = ack.envelope_id as string | undefined;
        if (!id) return;
        this.socketAcks.set(id, ack);
        this.ackWaiters.get(id)?.(ack);
      });
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.sockets.size,
          debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
          connection_info: { app_id: 'AFAKE' },
        }),
      );
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get socketConnections(): number {
    return this.sockets.size;
  }

  /** Sends a Socket Mode envelope and resolves with the app's acknowledgement. */
  sendEnvelope(
    type: 'slash_commands' | 'events_api' | 'interactive',
    payload: Record<string, unknown>,
    timeoutMs = 5000,
  ) {
    const envelope_id = `env-${++this.envelopeSeq}-${Date.now()}`;
    const ack = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack of ${envelope_id}`)), timeoutMs);
      this.ackWaiters.set(envelope_id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
    for (const socket of this.sockets) {
      socket.send(
        JSON.stringify({
          envelope_id,
          payload,
          type,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    }
    return ack;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (already made or future) that matches. */
  waitFor(
    method: string,
    match: (c: SlackCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SlackCall> {
    const hit = this.calls.find((c) => c.method === method && match(c));
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} call within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        match: (c) => c.method === method && match(c),
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const raw = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    const body = parseBody(raw, type);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/respond/')) {
      this.responses.push({ path, body });
      this.notify({ method: 'response_url', token: null, body: { ...body, path } });
      return { status: 200, body: { ok: true } };
    }
    const method = path.replace(/^\/api\//, '');
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : ((body.token as string | undefined) ?? null);
    const call: SlackCall = { method, token, body };
    this.calls.push(call);
    this.notify(call);
    if (!token) return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (method === 'apps.connections.open') {
      // Only an app-level token may open a Socket Mode connection.
      if (token !== this.appToken) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
      return {
        status: 200,
        body: { ok: true, url: `${this.url.replace('http', 'ws')}/link?ticket=${++this.seq}` },
      };
    }
    if (token !== this.botToken) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return {
          status: 200,
          body: {
            ok: true,
            url: 'https://acme.slack.com/',
            team: 'Acme',
            user: 'credits',
            team_id: 'TFAKE',
            user_id: 'UBOT',
            bot_id: 'BBOT',
          },
        };
      case 'chat.postMessage': {
        if (!body.channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        if (!body.text && !body.blocks) return { status: 200, body: { ok: false, error: 'no_text' } };
        const t = ts();
        return {
          status: 200,
          body: {
            ok: true,
            channel: body.channel,
            ts: t,
            message: { type: 'message', text: body.text, blocks: body.blocks, ts: t, bot_id: 'BBOT' },
          },
        };
      }
      case 'chat.postEphemeral':
        if (!body.channel || !body.user)
          return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        return { status: 200, body: { ok: true, message_ts: ts() } };
      case 'chat.update':
        if (!body.channel || !body.ts)
          return { status: 200, body: { ok: false, error: 'message_not_found' } };
        return {
          status: 200,
          body: {
            ok: true,
            channel: body.channel,
            ts: body.ts,
            text: body.text,
            message: { text: body.text, blocks: body.blocks },
          },
        };
      case 'conversations.open': {
        const users = String(body.users ?? '');
        if (!users || users.includes(','))
          return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        return {
          status: 200,
          body: { ok: true, channel: { id: `D${users.slice(1)}`, is_im: true, user: users } },
        };
      }
      case 'views.publish':
        if (!body.user_id || !body.view)
          return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        return {
          status: 200,
          body: { ok: true, view: { id: `V${++this.seq}`, type: 'home', ...(body.view as object) } },
        };
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  private notify(call: SlackCall) {
    const pending = this.waiters.filter((w) => w.match(call));
    this.waiters = this.waiters.filter((w) => !w.match(call));
    for (const w of pending) w.resolve(call);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form fields holding JSON (blocks, view, attachments) are decoded the way Slack does. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = ['blocks', 'view', 'attachments', 'metadata'].includes(k) ? JSON.parse(v) : v;
  }
  return out;
}

/** Slack's v0 request signature over `v0:{timestamp}:{body}`. */
export function signSlack(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** Serves a request listener on a local port the way the API server mounts it. */
export async function serveListener(
  listener: RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface SlackSender {
  command(fields: Record<string, string>, opts?: SignOpts): Promise<Response>;
  event(event: Record<string, unknown>, teamId: string, opts?: SignOpts): Promise<Response>;
  action(payload: Record<string, unknown>, opts?: SignOpts): Promise<Response>;
  raw(body: string, contentType: string, headers: Record<string, string>): Promise<Response>;
}

export interface SignOpts {
  timestamp?: number;
  secret?: string;
  unsigned?: boolean;
}

/** Sends requests to the bot the way Slack does: form-encoded commands and actions, JSON events, signed. */
export function slackSender(url: string, secret: string): SlackSender {
  const post = (body: string, contentType: string, opts: SignOpts = {}) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(opts.unsigned ? {} : signSlack(opts.secret ?? secret, body, opts.timestamp)),
      },
      body,
    });
  let eventSeq = 0;
  return {
    command: (fields, opts) =>
      post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts),
    event: (event, teamId, opts) =>
      post(
        JSON.stringify({
          token: 'verification-token',
          team_id: teamId,
          api_app_id: 'AFAKE',
          event,
          type: 'event_callback',
          event_id: `Ev${++eventSeq}${Date.now()}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
          is_ext_shared_channel: false,
        }),
        'application/json',
        opts,
      ),
    action: (payload, opts) =>
      post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
        opts,
      ),
    raw: (body, contentType, headers) =>
      fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body }),
  };
}
