/**
 * A proxy in front of stripe-mock for the purchase flow's tests. Every request goes on to
 * stripe-mock, which checks it against Stripe's API, and is recorded (path, idempotency key, form
 * body). stripe-mock is stateless and answers fixtures, so the outcomes a real card has are shaped
 * here on the answer to `POST /v1/payment_intents`, chosen per request by the test: the fixture as
 * it is, a success, a decline (Stripe's 402 card error), an answer held back (a timeout), or one
 * held until the test releases it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type Shape =
  | { kind: 'as-is' }
  | { kind: 'succeed' }
  | { kind: 'decline'; declineCode: string; message: string }
  | { kind: 'delay'; ms: number; after: 'succeed' | 'as-is' }
  | { kind: 'hold'; until: Promise<void>; after: 'succeed' };

export interface Recorded {
  method: string;
  path: string;
  idempotencyKey: string | null;
  form: URLSearchParams;
}

export interface StripeShaper {
  base: string;
  requests: Recorded[];
  /** The PaymentIntent creations of one purchase (its id is in the metadata). */
  intentsOf(purchaseId: string): Recorded[];
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => ok(Buffer.concat(chunks).toString()));
    req.once('error', fail);
  });
}

export async function startStripeShaper(
  stripeMock: string,
  shapeFor: (request: Recorded, attempt: number) => Shape,
): Promise<StripeShaper> {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const text = await body(req);
      const path = req.url ?? '/';
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path,
        idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
        form: new URLSearchParams(text),
      };
      requests.push(recorded);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'idempotency-key', 'stripe-version']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const upstream = await fetch(`${stripeMock}${path}`, {
        method: recorded.method,
        headers,
        ...(recorded.method === 'GET' || recorded.method === 'DELETE' ? {} : { body: text }),
      });
      let status = upstream.status;
      let answer = await upstream.text();
      const intent = recorded.method === 'POST' && path === '/v1/payment_intents' && status === 200;
      if (intent) {
        const attempt = requests.filter(
          (r) => r.path === path && r.idempotencyKey === recorded.idempotencyKey,
        ).length;
        let shape = shapeFor(recorded, attempt);
        if (shape.kind === 'delay') {
          await new Promise((r) => setTimeout(r, shape.kind === 'delay' ? shape.ms : 0));
          shape = shape.after === 'succeed' ? { kind: 'succeed' } : { kind: 'as-is' };
        }
        if (shape.kind === 'hold') {
          await shape.until;
          shape = { kind: 'succeed' };
        }
        const fixture = JSON.parse(answer) as Record<string, unknown>;
        const metadata = Object.fromEntries(
          [...recorded.form].filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v]),
        );
        const amount = Number(recorded.form.get('amount'));
        const asked = { ...fixture, amount, currency: recorded.form.get('currency'), metadata };
        if (shape.kind === 'succeed') {
          answer = JSON.stringify({
            ...asked,
            status: 'succeeded',
            amount_received: amount,
            last_payment_error: null,
          });
        } else if (shape.kind === 'decline') {
          status = 402;
          answer = JSON.stringify({
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: shape.declineCode,
              message: shape.message,
              payment_intent: { ...asked, status: 'requires_payment_method' },
            },
          });
        }
      }
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_shaper' });
      res.end(answer);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    intentsOf: (purchaseId) =>
      requests.filter(
        (r) => r.path === '/v1/payment_intents' && r.form.get('metadata[purchase_id]') === purchaseId,
      ),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
