import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiServer, MOUNT_BODY_LIMIT, startApiServer } from '../../integrations/api/server.js';
import { createContext } from '../../runtime/context.js';

// A mount stands in for the Slack receiver: it reads the whole body (as Bolt does) and says so.
const seen: number[] = [];
const base = createContext({ databaseUrl: inject('databaseUrl') });
let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({
    ctx: { ...base, operatorKey: 'op_test' },
    port: 0,
    host: '127.0.0.1',
    mounts: [
      {
        path: '/slack/events',
        listener: (req, res) => {
          let bytes = 0;
          req.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          req.on('end', () => {
            seen.push(bytes);
            res.writeHead(200).end('ok');
          });
        },
      },
    ],
  });
});
afterAll(async () => {
  await server.close();
  await base.close();
});

function post(headers: Record<string, string | number>, body?: Buffer | null, chunks?: Buffer[]) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const req = request(
      `${server.url}/slack/events`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: text, ms: performance.now() - started }),
        );
      },
    );
    req.on('error', (err) => {
      // The server closes the connection after refusing: an upload in progress may see a reset.
      if (
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' ||
        (err as NodeJS.ErrnoException).code === 'EPIPE'
      )
        return;
      reject(err);
    });
    if (chunks) {
      for (const c of chunks) req.write(c);
      req.end();
    } else if (body === null) {
      req.flushHeaders(); // headers only: the body never comes
    } else {
      req.end(body);
    }
  });
}

describe('the body limit in front of the Slack mount', () => {
  it('answers 413 from the headers, before any body is sent or buffered', async () => {
    const before = seen.length;
    const r = await post({ 'content-length': 100 * 1024 * 1024 }, null);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error).toMatchObject({
      code: 'invalid_request',
      details: { maxBytes: MOUNT_BODY_LIMIT },
    });
    expect(seen.length).toBe(before);
  });

  it('refuses a body one byte over the limit, and serves one at the limit', async () => {
    const before = seen.length;
    const over = await post({}, Buffer.alloc(MOUNT_BODY_LIMIT + 1, 0x61));
    expect(over.status).toBe(413);
    expect(seen.length).toBe(before);
    const at = await post({}, Buffer.alloc(MOUNT_BODY_LIMIT, 0x61));
    expect(at.status).toBe(200);
    expect(seen.at(-1)).toBe(MOUNT_BODY_LIMIT);
  });

  it('refuses a chunked body (no length to check up front) with 411', async () => {
    const before = seen.length;
    const r = await post({ 'transfer-encoding': 'chunked' }, undefined, [
      Buffer.from('{"a":'),
      Buffer.from('1}'),
    ]);
    expect(r.status).toBe(411);
    expect(seen.length).toBe(before);
  });

  it('leaves the API behind its own limit', async () => {
    const res = await fetch(`${server.url}/v1/workspaces`, {
      method: 'POST',
      headers: { authorization: 'Bearer op_test', 'content-type': 'application/json' },
      body: 'x'.repeat(MOUNT_BODY_LIMIT + 10),
    });
    expect(res.status).toBe(413);
  });
});
