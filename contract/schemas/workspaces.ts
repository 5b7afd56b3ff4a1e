import { z } from '@hono/zod-openapi';
import { ROLES, STATUSES } from '../../ledger/types.js';
import { Count, DateTimeInput, Timestamp } from './common.js';

/** Workspaces, members, chat links, API keys and alert thresholds. */

export const WorkspaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    status: z.enum(STATUSES),
    billingAnchor: Timestamp,
    settings: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    stripeCustomerId: z
      .string()
      .optional()
      .openapi({ description: 'The Stripe customer charged for purchases' }),
  })
  .openapi('Workspace');

export const MemberSchema = z
  .object({
    workspaceId: z.string(),
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    slackUserId: z.string().nullable(),
    discordUserId: z.string().nullable(),
  })
  .openapi('Member');

export const ChatLinkSchema = z
  .object({
    platform: z.enum(['slack', 'discord']),
    team: z.string(),
    channel: z.string().nullable(),
    workspaceId: z.string(),
  })
  .openapi('ChatLink');

export const AlertsSchema = z
  .object({
    thresholds: z.object({ low: z.int(), critical: z.int() }),
  })
  .openapi('AlertThresholds');

export const WorkspaceCreateBody = z
  .strictObject({
    id: z.string().openapi({ example: 'acme' }),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    plan: z.string().openapi({ example: 'solo' }),
    status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }),
    billingAnchor: DateTimeInput.optional(),
  })
  .openapi('WorkspaceCreateRequest', {
    example: {
      id: 'acme',
      name: 'Acme Inc.',
      plan: 'solo',
      status: 'active',
      billingAnchor: '2026-11-01T00:00:00Z',
    },
  });

export const WorkspacePatchBody = z
  .strictObject({
    plan: z.string().optional(),
    status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional(),
    stripeCustomerId: z
      .string()
      .regex(/^cus_[A-Za-z0-9]{1,100}$/, { error: 'must be a Stripe customer id (cus_…), or null to unlink' })
      .nullable()
      .optional()
      .openapi({ description: 'The Stripe customer charged for purchases (operator); null unlinks it' }),
  })
  .refine(
    (b) =>
      b.plan !== undefined ||
      b.status !== undefined ||
      b.name !== undefined ||
      b.stripeCustomerId !== undefined,
    { error: 'give at least one of plan, status, name, stripeCustomerId', path: ['plan'] },
  )
  .openapi('WorkspacePatchRequest', { example: { plan: 'business' } });

export const MemberCreateBody = z
  .strictObject({
    id: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    slackUserId: z.string().min(1).max(100).nullable().optional(),
    discordUserId: z.string().min(1).max(100).nullable().optional(),
  })
  .openapi('MemberCreateRequest', {
    example: { id: 'alice', name: 'Alice', role: 'admin', slackUserId: 'U024BE7LH' },
  });

export const ChatLinkCreateBody = z
  .strictObject({
    platform: z.enum(['slack', 'discord'], { error: 'must be slack or discord' }),
    team: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
    channel: z.string().trim().max(100).nullable().optional(),
  })
  .openapi('ChatLinkCreateRequest', { example: { platform: 'slack', team: 'T024BE7LD', channel: null } });

export const AlertsBody = z
  .strictObject({
    // Types here; the rule (bounds, low above critical) is application/alert-settings.ts, shared with chat.
    thresholds: z.strictObject({ low: Count, critical: Count }),
  })
  .openapi('AlertThresholdsRequest', { example: { thresholds: { low: 200, critical: 50 } } });
