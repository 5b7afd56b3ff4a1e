import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './auth.js';

const API_DESCRIPTION = `Credit ledger API. All amounts are JSON integers, times ISO-8601 UTC strings, ids strings.

Authentication: \`Authorization: Bearer <key>\`. The operator key may do everything. A workspace key may
only touch its own workspace: ids (workspaces, transactions, holds, purchases) of another workspace
answer **404 not_found**, as if they did not exist; operator-only endpoints answer **403 forbidden**.
Missing or unknown key: **401 unauthorized** with \`WWW-Authenticate: Bearer\`.

Writes take an idempotency key (\`idempotencyKey\` in the body or the \`Idempotency-Key\` header): a repeat
with the same body returns the first result with the same status and \`Idempotent-Replayed: true\`; the same
key with another body is refused with 409 \`idempotency_conflict\`.

Errors: \`{ "error": { "code", "message", "details" } }\`; invalid input is 400 \`invalid_request\` with
\`details.fields: [{ field, message }]\` naming every failing field (unknown fields are refused).`;

/** Tag names used by the routes, each described once here (their order is the reference's order). */
export const TAGS = [
  { name: 'Workspaces', description: 'Workspaces, members, chat links and alert thresholds' },
  {
    name: 'Access',
    description:
      'Scoped API keys (listed without secrets, revoked at once) and the audit log of who changed what',
  },
  { name: 'Balance', description: 'What a workspace can spend, and the lots it is made of' },
  { name: 'Debits', description: 'Consuming credits, all or nothing' },
  { name: 'Holds', description: 'Reserving credits while the exact cost is unknown' },
  { name: 'Grants', description: 'Adding credits and operator corrections' },
  { name: 'Transactions', description: 'The journal: entries, reversals and usage reports' },
  { name: 'Catalog', description: 'Plans, packages, operation costs, estimates and affordability' },
  { name: 'Purchases', description: 'Buying credit packages (with approval) and the auto top-up policy' },
  {
    name: 'Budgets',
    description:
      'Limits inside the shared pool per member, API key, actor or operation; refusals are 402 budget_exceeded; raises are approved like purchases',
  },
  {
    name: 'Webhooks',
    description: "Each workspace's signed webhook endpoint (Standard Webhooks) and its secret's rotation",
  },
  { name: 'Reports', description: 'Money: deferred, recognized, breakage and refunded revenue (operator)' },
  { name: 'System', description: 'Health and metrics, without authentication' },
] as const;

export type TagName = (typeof TAGS)[number]['name'];

export const API_INFO = {
  title: 'Credits API',
  version: '1.0.0',
  description: API_DESCRIPTION,
  license: { name: 'MIT', identifier: 'MIT' },
  contact: { name: 'Credits maintainers', email: 'maintainers@credits.example' },
};

/**
 * The OpenAPI 3.1 document generated from the routes' zod schemas. `serverUrl` is the public base URL
 * clients should call (PUBLIC_URL, else the address the request reached).
 */
export function openApiDocument(app: OpenAPIHono<ApiEnv>, serverUrl: string) {
  const doc = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: API_INFO,
    servers: [{ url: serverUrl.replace(/\/+$/, ''), description: 'This Credits API' }],
    tags: TAGS.map((t) => ({ ...t })),
    security: [{ bearer: [] }],
  });
  // Header validation sees lower-cased names; the document shows the conventional spelling.
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item as Record<string, { parameters?: { name: string; in: string }[] }>)) {
      for (const p of op?.parameters ?? [])
        if (p.in === 'header' && p.name === 'idempotency-key') p.name = 'Idempotency-Key';
    }
  }
  return doc;
}

/** Serves the document at /openapi.json; the servers entry follows `publicUrl` or the request's origin. */
export function registerDocumentRoute(app: OpenAPIHono<ApiEnv>, publicUrl: string | undefined): void {
  const cache = new Map<string, unknown>();
  app.get('/openapi.json', (c) => {
    const serverUrl = publicUrl ?? new URL(c.req.url).origin;
    let doc = cache.get(serverUrl);
    if (doc === undefined) {
      doc = openApiDocument(app, serverUrl);
      if (cache.size < 16) cache.set(serverUrl, doc);
    }
    return c.json(doc);
  });
}
