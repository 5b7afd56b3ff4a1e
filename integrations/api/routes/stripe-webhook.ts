import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import Stripe from 'stripe';
import { applyStripeEvent, STRIPE_EVENTS, type VerifiedStripeEvent } from '../../../application/payments.js';
import { CreditsError } from '../../../ledger/errors.js';
import type { ApiApp, RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import { json } from './util.js';

/** Stripe's events are far below this; anything larger is not one of them. */
const MAX_EVENT_BYTES = 512 * 1024;

const Received = z
  .object({
    received: z.literal(true),
    handled: z.boolean(),
    purchaseId: z.string().optional(),
    status: z.enum(['succeeded', 'failed']).optional(),
    ignored: z.string().optional().openapi({ description: 'Why the event changed nothing' }),
  })
  .openapi('StripeWebhookReceived');

/**
 * `POST /webhooks/stripe`: Stripe's events about purchase payments. Authenticated by the
 * `Stripe-Signature` header alone (HMAC of the raw body with STRIPE_WEBHOOK_SECRET, timestamp
 * within 5 minutes): a forged, altered or stale (replayed) delivery gets 400.
 */
export function registerStripeWebhookRoute(app: ApiApp, { ctx }: RouteDeps): void {
  app.use(
    '/webhooks/*',
    bodyLimit({
      maxSize: MAX_EVENT_BYTES,
      onError: () => {
        throw new HTTPException(413, {
          message: `request body too large (${MAX_EVENT_BYTES / 1024} KiB at most here)`,
        });
      },
    }),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/stripe',
      operationId: 'receiveStripeWebhook',
      tags: ['Purchases'],
      summary: 'Stripe events about purchase payments (signed by Stripe; no API key)',
      description: `Verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET. Acts on ${STRIPE_EVENTS.join(', ')}; any other event type is acknowledged (200) and ignored.`,
      security: [],
      responses: {
        200: json(Received, 'Received (acted on, or ignored with the reason)'),
        ...errorResponses(400, 413, 503),
      },
    }),
    async (c) => {
      const secret = ctx.stripeWebhookSecret;
      if (!secret)
        throw new CreditsError('unavailable', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)');
      // The signature covers the exact bytes Stripe sent: verify them before any parsing.
      const raw = await c.req.text();
      const signature = c.req.header('stripe-signature') ?? '';
      let event: VerifiedStripeEvent;
      try {
        event = Stripe.webhooks.constructEvent(raw, signature, secret) as unknown as VerifiedStripeEvent;
      } catch (err) {
        const message = `the Stripe-Signature header does not verify this body: ${(err as Error).message}`;
        throw CreditsError.field('Stripe-Signature', message);
      }
      const outcome = await applyStripeEvent(
        { ledger: ctx.ledger, ...(ctx.purchases ? { purchases: ctx.purchases } : {}) },
        event,
      );
      return c.json({ received: true as const, ...outcome }, 200);
    },
  );
}
