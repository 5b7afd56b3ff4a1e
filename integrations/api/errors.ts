import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isConnectionError } from '../../ledger/db.js';
import { CreditsError, type ErrorCode, type FieldIssue, isCreditsError } from '../../ledger/errors.js';

/** The one error shape every endpoint answers with. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'insufficient_credits' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof ErrorSchema>;

export const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  budget_exceeded: 402,
  forbidden: 403,
  not_found: 404,
  idempotency_conflict: 409,
  conflict: 409,
  hold_not_active: 409,
  rate_limited: 429,
  unavailable: 503,
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `details.fields` names every failing field',
  401: 'Missing or unknown API key',
  402: 'Insufficient credits (`details.required`, `details.available`), or `budget_exceeded`: a budget refused it (`details.budgetId`, `limit`, `used`, `requested`, `resetsAt`)',
  403: 'Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key',
  404: 'Not found (also: a resource of another workspace)',
  409: 'Idempotency conflict or state conflict',
  415: 'Request body must be application/json',
  429: 'Rate limited: too many requests for this key; retry after `Retry-After` seconds',
  503: 'Database (or a required service) unavailable',
};

/** Headers some error answers always carry, documented so generated clients can read them. */
const ERROR_HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' } }>> = {
  401: {
    'WWW-Authenticate': { description: 'Always `Bearer realm="credits"`', schema: { type: 'string' } },
  },
  429: {
    'Retry-After': { description: 'Seconds until this key may call again', schema: { type: 'string' } },
  },
  503: {
    'Retry-After': {
      description: 'When the database is unreachable: seconds to wait before retrying (same idempotency key)',
      schema: { type: 'string' },
    },
  },
};

type ErrorResponse = {
  description: string;
  headers?: Record<string, { description: string; schema: { type: 'string' } }>;
  content: { 'application/json': { schema: typeof ErrorSchema } };
};

/** OpenAPI response entries for the given error statuses. */
export function errorResponses(...listed: number[]): Record<number, ErrorResponse> {
  // Whatever needs a key may also be refused by its access policy (403) or rate-limited (429).
  const statuses = listed.includes(401) ? [...new Set([...listed, 403, 429])].sort() : listed;
  return Object.fromEntries(
    statuses.map((s): [number, ErrorResponse] => [
      s,
      {
        description: ERROR_DESCRIPTIONS[s] ?? 'Error',
        ...(ERROR_HEADERS[s] ? { headers: ERROR_HEADERS[s] } : {}),
        content: { 'application/json': { schema: ErrorSchema } },
      },
    ]),
  );
}

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/** Field issues from a zod failure: dotted paths; every unknown key of a strict object is named. */
export function zodIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: [...base, key].join('.'), message: 'unknown field' });
    } else {
      out.push({ field: base.join('.') || (prefix ?? 'body'), message: issue.message });
    }
  }
  // One entry per field: the first problem found is the one to fix first.
  const seen = new Set<string>();
  return out.filter((i) => !seen.has(i.field) && seen.add(i.field));
}

export function invalid(issues: FieldIssue[]): CreditsError {
  return CreditsError.invalid(issues);
}

/** Maps whatever a handler threw to a status and the error shape. */
export function toErrorResponse(err: unknown): {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers?: Record<string, string>;
} {
  if (isCreditsError(err)) {
    const status = STATUS_BY_CODE[err.code] ?? 400;
    const headers: Record<string, string> | undefined =
      err.code === 'unauthorized'
        ? { 'WWW-Authenticate': 'Bearer realm="credits"' }
        : err.code === 'rate_limited'
          ? { 'Retry-After': String(err.details.retryAfterSeconds ?? 1) }
          : undefined;
    return { status, body: errorBody(err.code, err.message, err.details), headers };
  }
  if (err instanceof HTTPException) {
    if (err.status === 415) {
      return {
        status: 415,
        body: errorBody(
          'unsupported_media_type',
          'the request body must be JSON (Content-Type: application/json)',
          {
            fields: [{ field: 'body', message: 'Content-Type must be application/json' }],
          },
        ),
      };
    }
    if (err.status === 413) {
      return {
        status: 413,
        body: errorBody('invalid_request', 'the request body is too large', {
          fields: [{ field: 'body', message: 'too large' }],
        }),
      };
    }
    if (err.status === 400) {
      const message = /json/i.test(err.message) ? 'body: malformed JSON' : `body: ${err.message}`;
      return {
        status: 400,
        body: errorBody('invalid_request', message, {
          fields: [{ field: 'body', message: /json/i.test(err.message) ? 'is not valid JSON' : err.message }],
        }),
      };
    }
    return {
      status: err.status as ContentfulStatusCode,
      body: errorBody('http_error', err.message || 'error'),
    };
  }
  if (isConnectionError(err) || isPoolTimeout(err)) {
    return {
      status: 503,
      body: errorBody('unavailable', 'the database is unavailable; retry with the same idempotency key', {}),
      headers: { 'Retry-After': '1' },
    };
  }
  return { status: 500, body: errorBody('internal', 'internal error') };
}

function isPoolTimeout(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  // 57014: statement cancelled (e.g. statement_timeout while the server is struggling).
  return code === '57014' || code === '53300' /* too_many_connections */;
}

export function sendError(c: Context, err: unknown): Response {
  const { status, body, headers } = toErrorResponse(err);
  if (headers) for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.json(body, status);
}
