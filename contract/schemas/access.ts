import { z } from '@hono/zod-openapi';
import { SCOPES } from '../../ledger/types.js';
import { DateTimeInput, Timestamp } from './common.js';

/** API keys and the audit log. */

const Scope = z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}` }).openapi('Scope');

export const ApiKeyCreateBody = z
  .strictObject({
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
    scopes: z
      .array(Scope)
      .max(SCOPES.length)
      .optional()
      .openapi({ description: 'Default: balance:read and credits:spend (what an automation needs)' }),
    memberId: z.string().trim().min(1).max(200).nullable().optional().openapi({
      description: 'The member the key acts as; required (an owner or admin) for purchases:approve',
    }),
    expiresAt: DateTimeInput.nullable().optional(),
  })
  .openapi('ApiKeyCreateRequest', {
    example: { name: 'n8n production', scopes: ['balance:read', 'credits:spend'] },
  });

const KeyFields = {
  id: z.string(),
  name: z.string(),
  scopes: z.array(Scope),
  memberId: z.string().nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
};

export const ApiKeySchema = z
  .object({ ...KeyFields, key: z.string().openapi({ description: 'The secret; shown once' }) })
  .openapi('ApiKey');

export const ApiKeyInfoSchema = z
  .object({ ...KeyFields, lastUsedAt: Timestamp.nullable(), revokedAt: Timestamp.nullable() })
  .openapi('ApiKeyInfo');

export const KeyIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'key_4f1c2a9b3d7e' }),
});

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    action: z.string().openapi({ example: 'alerts.changed' }),
    actor: z.string().openapi({ example: 'member:ada' }),
    channel: z.string().openapi({ example: 'slack' }),
    target: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    at: Timestamp,
  })
  .openapi('AuditEntry');

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
});

export const WhoamiSchema = z
  .object({
    workspaceId: z
      .string()
      .nullable()
      .openapi({ description: 'The workspace the key is confined to; null for the operator key' }),
    scopes: z.array(Scope).openapi({ description: 'What the key may do (the operator key: every scope)' }),
    memberId: z.string().nullable().openapi({ description: 'The member the key acts as, if any' }),
    keyId: z
      .string()
      .nullable()
      .openapi({ description: 'The key’s id; null for the operator key set in OPERATOR_API_KEY' }),
  })
  .openapi('Whoami', {
    example: {
      workspaceId: 'acme',
      scopes: ['balance:read', 'credits:spend'],
      memberId: null,
      keyId: 'key_4f1c2a9b3d7e',
    },
  });
