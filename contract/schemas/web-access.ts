import { z } from '@hono/zod-openapi';
import { EMBED_TTL_MAX_SECONDS } from '../../ledger/types.js';

/** Sign-in links to the web console and embed tokens for the balance widget. */

export const LoginLinkBody = z
  .strictObject({ memberId: z.string({ error: 'must be a string' }).min(1, { error: 'is required' }) })
  .openapi('LoginLinkRequest');

export const LoginLinkSchema = z
  .object({ url: z.string(), expiresAt: z.string() })
  .openapi('LoginLink', { description: 'A single-use sign-in link to the web console, valid 10 minutes' });

export const EmbedTokenBody = z
  .strictObject({
    ttlSeconds: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(30, { error: 'must be at least 30' })
      .max(EMBED_TTL_MAX_SECONDS, { error: `must be at most ${EMBED_TTL_MAX_SECONDS}` })
      .optional(),
  })
  .openapi('EmbedTokenRequest');

export const EmbedTokenSchema = z
  .object({ token: z.string(), expiresAt: z.string() })
  .openapi('EmbedToken', { description: 'A short-lived token for the <credits-balance> widget' });
