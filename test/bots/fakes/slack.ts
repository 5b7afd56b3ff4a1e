import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SlackCall {
  method: string;
  token: string | null;
  body: Record<string, unknown>;
}

/** A file as files.uploadV2 leaves it: asked for, its bytes sent to the upload URL, then shared. */
export interface SlackFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText?: string;
  /** The bytes received at the upload URL (null until they arrive). */
  bytes: Buffer | null;
  /** Set by files.completeUploadExternal. */
  completed?: {
    channel: string | null;
    threadTs: string | null;
    title: string | null;
    initialComment: string | null;
  };
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
  /** Every file handed an upload URL, by file id. */
  readonly files = new Map<string, SlackFile>();
  /** Channels the bot is not a member of: sharing a file there fails with not_in_channel, as on Slack. */
  readonly notInChannels = new Set<string>();
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
          // The upload URL answers in plain text ("OK - <bytes>"), the Web API in JSON.
          const text = typeof body === 'string';
          res.writeHead(status, {
            'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
          });
          res.end(text ? body : JSON.stringify(body));
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

  /** Files shared in a channel by files.completeUploadExternal. */
  completedFiles(channel?: string): SlackFile[] {
    return [...this.files.values()].filter(
      (f) => f.completed && (channel === undefined || f.completed.channel === channel),
    );
  }

  /** Resolves with the first file shared (already or later) in `channel`. */
  async waitForFile(channel: string, timeoutMs = 5000): Promise<SlackFile> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const file = this.completedFiles(channel)[0];
      if (file) return file;
      if (Date.now() > deadline) throw new Error(`no file shared in ${channel} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const type = req.headers['content-type'] ?? '';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/upload/')) return this.receiveUpload(path.slice('/upload/'.length), bytes, type);
    const body = parseBody(raw, type);
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
      case 'files.getUploadURLExternal': {
        // https://docs.slack.dev/reference/methods/files.getuploadurlexternal
        const length = Number(body.length);
        if (!body.filename || !Number.isSafeInteger(length) || length <= 0)
          return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        this.files.set(id, {
          id,
          filename: String(body.filename),
          length,
          ...(body.alt_txt || body.alt_text ? { altText: String(body.alt_txt ?? body.alt_text) } : {}),
          bytes: null,
        });
        return { status: 200, body: { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id } };
      }
      case 'files.completeUploadExternal': {
        // https://docs.slack.dev/reference/methods/files.completeuploadexternal
        const list = body.files as { id?: string; title?: string }[] | undefined;
        if (!Array.isArray(list) || list.length === 0)
          return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        const found = list.map((f) => this.files.get(String(f.id)));
        if (found.some((f) => !f?.bytes))
          return { status: 200, body: { ok: false, error: 'file_not_found' } };
        if (body.thread_ts && !body.channel_id)
          return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        if (this.notInChannels.has(String(body.channel_id)))
          return { status: 200, body: { ok: false, error: 'not_in_channel' } };
        const shared = found.map((file, i) => {
          const f = file!;
          f.completed = {
            channel: (body.channel_id as string | undefined) ?? null,
            threadTs: (body.thread_ts as string | undefined) ?? null,
            title: list[i]?.title ?? null,
            initialComment: (body.initial_comment as string | undefined) ?? null,
          };
          return {
            id: f.id,
            name: f.filename,
            title: f.completed.title ?? f.filename,
            mimetype: f.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream',
            filetype: f.filename.split('.').pop(),
            size: f.bytes!.length,
            channels: f.completed.channel ? [f.completed.channel] : [],
          };
        });
        return { status: 200, body: { ok: true, files: shared } };
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

  /** The upload URL takes the bytes raw or as one multipart file field; anything else is refused. */
  private async receiveUpload(id: string, bytes: Buffer, type: string) {
    const file = this.files.get(id);
    if (!file) return { status: 404, body: { ok: false, error: 'file_not_found' } };
    let data = bytes;
    if (type.includes('multipart/form-data')) {
      const form = await new Response(new Uint8Array(bytes), {
        headers: { 'content-type': type },
      }).formData();
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!part) return { status: 400, body: { ok: false, error: 'no_file_data' } };
      data = Buffer.from(await part.arrayBuffer());
    }
    if (data.length === 0) return { status: 400, body: { ok: false, error: 'no_file_data' } };
    file.bytes = data;
    this.notify({ method: 'upload', token: null, body: { id, length: data.length } });
    return { status: 200, body: `OK - ${data.length}` };
  }

  private notify(call: SlackCall) {
    const pending = this.waiters.filter((w) => w.match(call));
    this.waiters = this.waiters.filter((w) => !w.match(call));
    for (const w of pending) w.resolve(call);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Form fields holding JSON (blocks, view, attachments) are decoded the way Slack does. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = ['blocks', 'view', 'attachments', 'metadata', 'files'].includes(k) ? JSON.parse(v) : v;
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
