import type {
  IDataObject,
  IExecuteFunctions,
  IHttpRequestMethods,
  IHttpRequestOptions,
  ILoadOptionsFunctions,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const CREDENTIAL_NAME = 'creditsApi';

export interface CreditsCredentials {
  baseUrl: string;
  apiKey: string;
  workspaceId: string;
  webhookSecret?: string;
}

export interface ApiResponse {
  statusCode: number;
  body: IDataObject;
  /** True when the API answered with the stored result of an earlier identical request. */
  replayed: boolean;
}

/** The error body every Credits endpoint returns: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: IDataObject;
}

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export async function getCreditsCredentials(ctx: RequestContext): Promise<CreditsCredentials> {
  const credentials = (await ctx.getCredentials(CREDENTIAL_NAME)) as unknown as CreditsCredentials;
  return {
    ...credentials,
    baseUrl: String(credentials.baseUrl ?? '').replace(/\/+$/, ''),
    workspaceId: String(credentials.workspaceId ?? ''),
  };
}

/**
 * Calls the Credits API with the credential's bearer key. HTTP errors are not thrown here: the caller
 * gets the status code and body, so that 402 (insufficient credits) can be routed instead of failing.
 */
export async function creditsApiRequest(
  ctx: RequestContext,
  method: IHttpRequestMethods,
  path: string,
  body?: IDataObject,
): Promise<ApiResponse> {
  const { baseUrl } = await getCreditsCredentials(ctx);
  const options: IHttpRequestOptions = {
    method,
    url: `${baseUrl}${path}`,
    headers: { Accept: 'application/json' },
    json: true,
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
  };
  if (body !== undefined) options.body = body;
  const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_NAME, options)) as {
    statusCode: number;
    body: unknown;
    headers?: Record<string, unknown>;
  };
  let parsed: unknown = response.body;
  if (typeof parsed === 'string') {
    try {
      parsed = parsed === '' ? {} : JSON.parse(parsed);
    } catch {
      parsed = { raw: parsed };
    }
  }
  const replayedHeader = Object.entries(response.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'idempotent-replayed',
  )?.[1];
  return {
    statusCode: response.statusCode,
    body: (parsed ?? {}) as IDataObject,
    replayed: String(replayedHeader) === 'true',
  };
}

export function apiErrorOf(response: ApiResponse): ApiErrorBody {
  const error = response.body.error as IDataObject | undefined;
  if (error && typeof error === 'object') {
    return {
      code: String(error.code ?? 'error'),
      message: String(error.message ?? `HTTP ${response.statusCode}`),
      details: (error.details as IDataObject | undefined) ?? undefined,
    };
  }
  return {
    code: `http_${response.statusCode}`,
    message: `The Credits API answered HTTP ${response.statusCode}`,
  };
}

/** Human-readable message for an API error, naming the failing fields of a 400. */
export function describeApiError(response: ApiResponse): string {
  const error = apiErrorOf(response);
  const fields = error.details?.fields;
  if (Array.isArray(fields) && fields.length > 0) {
    const list = fields
      .map((f) => {
        const field = f as IDataObject;
        return `${String(field.field ?? field.path ?? '?')}: ${String(field.message ?? 'invalid')}`;
      })
      .join('; ');
    return `${error.message} (${list})`;
  }
  if (error.code === 'insufficient_credits') return insufficientMessage(error);
  if (error.code === 'idempotency_conflict') {
    return `${error.message} — the idempotency key was already used with a different request body. Use a new key, or send exactly the same values as the first time.`;
  }
  return error.message;
}

export function insufficientMessage(error: ApiErrorBody): string {
  const required = error.details?.required;
  const available = error.details?.available;
  if (required !== undefined && available !== undefined) {
    return `Insufficient credits: this needs ${String(required)} credits but only ${String(available)} are available`;
  }
  return `Insufficient credits: ${error.message}`;
}

export function throwApiError(ctx: IExecuteFunctions, response: ApiResponse, itemIndex: number): never {
  const error = apiErrorOf(response);
  throw new NodeApiError(ctx.getNode(), response.body as JsonObject, {
    message: describeApiError(response),
    description: `Credits API error "${error.code}" (HTTP ${response.statusCode})`,
    httpCode: String(response.statusCode),
    itemIndex,
  });
}

export function isSuccess(response: ApiResponse): boolean {
  return response.statusCode >= 200 && response.statusCode < 300;
}

export function workspacePath(credentials: CreditsCredentials, suffix: string): string {
  return `/v1/workspaces/${encodeURIComponent(credentials.workspaceId)}${suffix}`;
}
