import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface DiscordCall {
  method: string;
  path: string;
  query: string;
  auth: string | null;
  body: Record<string, unknown> | null;
  /** Files of a multipart request (`files[n]` parts beside `payload_json`), in part order. */
  files: DiscordUpload[];
}

export interface DiscordUpload {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** A snowflake-looking id (digits). */
export function snowflake(): string {
  return String(100000000000000000n + BigInt(`0x${randomBytes(7).toString('hex')}`));
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

/**
 * A local stand-in for Discord: REST under /api/v10 (gateway discovery, interaction callbacks,
 * webhook edits, channel messages, command registration) and a gateway WebSocket that speaks the
 * documented handshake — HELLO (op 10), IDENTIFY (op 2) → READY then GUILD_CREATE, heartbeats
 * (op 1 → op 11) — and dispatches events (op 0) with sequence numbers.
 */
export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  readonly identifies: Record<string, unknown>[] = [];
  heartbeats = 0;
  readonly botUser = {
    id: snowflake(),
    username: 'credits',
    discriminator: '0',
    global_name: 'Credits',
    avatar: null,
    bot: true,
  };
  readonly applicationId = snowflake();
  private server?: Server;
  private wss?: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private seq = 0;
  /** DM channel id per recipient user id (POST /users/@me/channels returns the same channel again). */
  readonly dmChannels = new Map<string, string>();
  private waiters: { match: (c: DiscordCall) => boolean; resolve: (c: DiscordCall) => void }[] = [];
  url = '';

  constructor(
    readonly token: string,
    readonly guilds: FakeGuild[],
    private readonly heartbeatInterval = 1000,
  ) {}

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body }) => {
          if (status === 204) {
            res.writeHead(204);
            res.end();
            return;
          }
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (err) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (socket, req) => this.onConnection(socket, req));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => this.wss?.close(() => r()));
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  of(method: string, path: RegExp): DiscordCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  waitFor(
    method: string,
    path: RegExp,
    match: (c: DiscordCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<DiscordCall> {
    const test = (c: DiscordCall) => c.method === method && path.test(c.path) && match(c);
    const hit = this.calls.find(test);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} ${path} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        match: test,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  // ------------------------------------------------------------------ gateway

  private onConnection(socket: WebSocket, req: IncomingMessage) {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    if (params.get('v') !== '10' || params.get('encoding') !== 'json') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(
      JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatInterval }, s: null, t: null }),
    );
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      switch (payload.op) {
        case 1:
          this.heartbeats++;
          socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
          break;
        case 2: {
          this.identifies.push(payload.d);
          if (payload.d.token !== this.token) {
            socket.close(4004, 'Authentication failed.');
            return;
          }
          this.seq = 0;
          this.dispatchTo(socket, 'READY', {
            v: 10,
            user: this.botUser,
            guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: randomBytes(16).toString('hex'),
            resume_gateway_url: `${this.url.replace('http', 'ws')}/gateway`,
            shard: [0, 1],
            application: { id: this.applicationId, flags: 0 },
            user_settings: {},
            private_channels: [],
            presences: [],
            relationships: [],
            guild_join_requests: [],
          });
          for (const g of this.guilds) this.dispatchTo(socket, 'GUILD_CREATE', guildPayload(g, this.botUser));
          break;
        }
        default:
          break;
      }
    });
  }

  private dispatchTo(socket: WebSocket, t: string, d: unknown) {
    socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  /** Sends a dispatch (op 0) to every connected client. */
  dispatch(t: string, d: unknown) {
    for (const s of this.sockets) this.dispatchTo(s, t, d);
  }

  private member(user: { id: string; username: string }) {
    return {
      user: {
        id: user.id,
        username: user.username,
        discriminator: '0',
        global_name: user.username,
        avatar: null,
      },
      roles: [],
      joined_at: '2026-01-01T00:00:00.000000+00:00',
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      permissions: '2248473465835073',
      nick: null,
      avatar: null,
    };
  }

  private interactionBase(guild: FakeGuild, channelId: string, user: { id: string; username: string }) {
    const channel = guild.channels.find((c) => c.id === channelId) ?? { id: channelId, name: 'general' };
    return {
      id: snowflake(),
      application_id: this.applicationId,
      token: `itoken-${randomBytes(12).toString('hex')}`,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel_id: channelId,
      channel: {
        id: channel.id,
        type: 0,
        guild_id: guild.id,
        name: channel.name,
        position: 0,
        permissions: '2248473465835073',
        nsfw: false,
        parent_id: null,
        flags: 0,
      },
      member: this.member(user),
      locale: 'en-US',
      guild_locale: 'en-US',
      app_permissions: '2248473465835073',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10485760,
    };
  }

  /** An APPLICATION_COMMAND interaction for `/credits <sub> [options]`; returns the interaction. */
  slashCommand(
    guild: FakeGuild,
    channelId: string,
    user: { id: string; username: string },
    sub: string,
    options: { name: string; type: number; value: string | number }[] = [],
  ) {
    const interaction = {
      ...this.interactionBase(guild, channelId, user),
      type: 2,
      data: {
        id: snowflake(),
        name: 'credits',
        type: 1,
        guild_id: guild.id,
        options: [{ name: sub, type: 1, options }],
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** A MESSAGE_COMPONENT interaction: a button on one of the bot's messages pressed by `user`. */
  pressButton(
    guild: FakeGuild,
    channelId: string,
    user: { id: string; username: string },
    customId: string,
    message: { id: string; content?: string; embeds?: unknown[]; components?: unknown[] },
  ) {
    const interaction = {
      ...this.interactionBase(guild, channelId, user),
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      message: {
        id: message.id,
        channel_id: channelId,
        guild_id: guild.id,
        author: this.botUser,
        content: message.content ?? '',
        embeds: message.embeds ?? [],
        components: message.components ?? [],
        attachments: [],
        mentions: [],
        mention_roles: [],
        mention_everyone: false,
        pinned: false,
        tts: false,
        type: 0,
        flags: 0,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** A MESSAGE_CREATE in a guild channel, mentioning the bot when the content does. */
  message(guild: FakeGuild, channelId: string, user: { id: string; username: string }, content: string) {
    const id = snowflake();
    const mentionsBot = content.includes(`<@${this.botUser.id}>`);
    this.dispatch('MESSAGE_CREATE', {
      id,
      channel_id: channelId,
      guild_id: guild.id,
      author: {
        id: user.id,
        username: user.username,
        discriminator: '0',
        global_name: user.username,
        avatar: null,
      },
      member: { ...this.member(user), user: undefined },
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: mentionsBot ? [this.botUser] : [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 0,
      components: [],
    });
    return id;
  }

  // ------------------------------------------------------------------ REST

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const type = req.headers['content-type'] ?? '';
    let body: Record<string, unknown> | null = null;
    let files: DiscordUpload[] = [];
    if (raw && type.includes('application/json')) body = JSON.parse(raw) as Record<string, unknown>;
    if (type.includes('multipart/form-data')) {
      const parsed = await parseMultipart(bytes, type);
      if ('error' in parsed) return badRequest(parsed.error);
      ({ body, files } = parsed);
    }
    const call: DiscordCall = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.search,
      auth: req.headers.authorization ?? null,
      body,
      files,
    };
    this.calls.push(call);
    const pending = this.waiters.filter((w) => w.match(call));
    this.waiters = this.waiters.filter((w) => !w.match(call));
    for (const w of pending) w.resolve(call);
    const path = call.path.replace(/^\/api\/v10/, '');
    const botAuthed = call.auth === `Bot ${this.token}`;
    const route = (method: string | null, re: RegExp) =>
      method === null || call.method === method ? re.exec(path) : null;
    if (call.method === 'GET' && path === '/gateway/bot') {
      if (!botAuthed) return unauthorized();
      return {
        status: 200,
        body: {
          url: `${this.url.replace('http', 'ws')}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14400000, max_concurrency: 1 },
        },
      };
    }
    if (route('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/)) {
      // Interaction callbacks are authenticated by the token in the path, not by the bot token.
      if (!body || typeof body.type !== 'number') return badRequest('type is required');
      const data = (body.data ?? null) as Record<string, unknown> | null;
      const problem = attachmentProblem(data, files);
      if (problem) return badRequest(problem);
      return { status: 204, body: null };
    }
    if (route(null, /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/)) {
      const problem = attachmentProblem(body, files);
      if (problem) return badRequest(problem);
      return { status: 200, body: this.messageObject(snowflake(), 'unknown', body, files) };
    }
    const posted = route('POST', /^\/channels\/(\d+)\/messages$/);
    if (posted) {
      const m = posted;
      if (!botAuthed) return unauthorized();
      if (!body?.content && !(body?.embeds as unknown[] | undefined)?.length && files.length === 0)
        return badRequest('Cannot send an empty message', 50006);
      const problem = attachmentProblem(body, files);
      if (problem) return badRequest(problem);
      return { status: 200, body: this.messageObject(snowflake(), m[1]!, body, files) };
    }
    const patched = route('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (patched) {
      const m = patched;
      if (!botAuthed) return unauthorized();
      const problem = attachmentProblem(body, files);
      if (problem) return badRequest(problem);
      return { status: 200, body: this.messageObject(m[2]!, m[1]!, body, files) };
    }
    if (route('POST', /^\/users\/@me\/channels$/)) {
      if (!botAuthed) return unauthorized();
      const recipient = String(body?.recipient_id ?? '');
      if (!recipient) return badRequest('recipient_id is required');
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      return {
        status: 200,
        body: {
          id,
          type: 1,
          last_message_id: null,
          flags: 0,
          recipients: [
            { id: recipient, username: 'user', discriminator: '0', global_name: null, avatar: null },
          ],
        },
      };
    }
    const registered = route('PUT', /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
    if (registered) {
      const m = registered;
      if (!botAuthed) return unauthorized();
      const commands = (JSON.parse(raw) as Record<string, unknown>[]).map((c) => ({
        id: snowflake(),
        application_id: m[1],
        version: snowflake(),
        default_member_permissions: null,
        type: 1,
        ...c,
      }));
      return { status: 200, body: commands };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private messageObject(
    id: string,
    channelId: string,
    body: Record<string, unknown> | null,
    files: DiscordUpload[] = [],
  ) {
    return {
      id,
      channel_id: channelId,
      author: this.botUser,
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      attachments: files.map((f) => {
        const attachmentId = snowflake();
        return {
          id: attachmentId,
          filename: f.filename,
          size: f.bytes.length,
          content_type: f.contentType,
          url: `${this.url}/attachments/${channelId}/${attachmentId}/${f.filename}`,
          proxy_url: `${this.url}/attachments/${channelId}/${attachmentId}/${f.filename}`,
        };
      }),
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      type: 0,
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
    };
  }
}

function guildPayload(g: FakeGuild, bot: { id: string; username: string }) {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    owner_id: bot.id,
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: '2026-01-01T00:00:00.000000+00:00',
    features: [],
    roles: [
      {
        id: g.id,
        name: '@everyone',
        permissions: '1071698660929',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    channels: g.channels.map((c, i) => ({
      id: c.id,
      type: 0,
      guild_id: g.id,
      name: c.name,
      position: i,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    })),
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    afk_channel_id: null,
    afk_timeout: 300,
  };
}

function unauthorized() {
  return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
}

function badRequest(message: string, code = 50035) {
  return { status: 400, body: { message, code } };
}

/**
 * Discord's multipart messages: a `payload_json` part with the JSON body and one `files[n]` part per
 * file (https://discord.com/developers/docs/reference#uploading-files), parsed with undici's own
 * multipart reader.
 */
async function parseMultipart(
  bytes: Buffer,
  type: string,
): Promise<{ body: Record<string, unknown> | null; files: DiscordUpload[] } | { error: string }> {
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': type } }).formData();
  const payload = form.get('payload_json');
  const files: DiscordUpload[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    if (!/^files\[\d+\]$/.test(field)) return { error: `unexpected multipart field ${field}` };
    files.push({
      field,
      filename: value.name,
      contentType: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return {
    body: typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : null,
    files,
  };
}

/** Each `attachments[].id` must name an uploaded `files[id]` part, and every embed `attachment://` one of them. */
function attachmentProblem(body: Record<string, unknown> | null, files: DiscordUpload[]): string | null {
  const attachments = (body?.attachments ?? []) as { id?: number | string; filename?: string }[];
  const names = new Set(files.map((f) => f.filename));
  for (const a of attachments) {
    if (!files.some((f) => f.field === `files[${a.id}]`))
      return `attachments[${a.id}] has no files[${a.id}] part`;
  }
  for (const embed of (body?.embeds ?? []) as { image?: { url?: string } }[]) {
    const url = embed.image?.url ?? '';
    if (url.startsWith('attachment://') && !names.has(url.slice('attachment://'.length)))
      return `embed image ${url} names no attached file`;
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
