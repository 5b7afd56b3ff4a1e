import type {
  IDataObject,
  IExecuteFunctions,
  IHttpRequestMethods,
  IHttpRequestOptions,
  ILoadOptionsFunctions,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { components, operations } from './api-types';

/** The API's schemas, generated from its OpenAPI document (`npm run openapi:write` at the repository root). */
export type Schemas = components['schemas'];

type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body an operation of the API accepts, by operationId. */
export type RequestBody<Id extends keyof operations> = JsonContent<
  NonNullable<operations[Id]['requestBody']>
>;

/** The query parameters an operation of the API accepts, by operationId. */
export type QueryParams<Id extends keyof operations> = NonNullable<operations[Id]['parameters']['query']>;

/** The JSON body of an operation's success (2xx) answer, by operationId. */
export type SuccessBody<Id extends keyof operations> = JsonContent<
  operations[Id]['responses'][Extract<keyof operations[Id]['responses'], 200 | 201>]
>;

export const CREDENTIAL_NAME = 'creditsApi';

export interface CreditsCredentials {
  baseUrl: string;
  apiKey: string;
  workspaceId: string;
  webhookSecret?: string;
}

export interface ApiResponse<Body = IDataObject> {
  statusCode: number;
  /** The operation's answer on a 2xx; otherwise the error body (`Schemas['Error']`) or whatever came back. */
  body: Body;
  /** True when the API answered with the stored result of an earlier identical request. */
  replayed: boolean;
}

/** The error body every Credits endpoint returns: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  code: Schemas['Error']['error']['code'];
  message: Schemas['Error']['error']['message'];
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
 * Calls one operation of the Credits API (named by its operationId, which types the body and the
 * answer) with the credential's bearer key. HTTP errors are not thrown here: the caller gets the
 * status code and body, so that 402 (insufficient credits) can be routed instead of failing.
 */
export async function creditsApiRequest<Id extends keyof operations>(
  ctx: RequestContext,
  _operationId: Id,
  method: IHttpRequestMethods,
  path: string,
  body?: [RequestBody<Id>] extends [never] ? Record<string, never> : RequestBody<Id>,
  query?: QueryParams<Id>,
): Promise<ApiResponse<SuccessBody<Id>>> {
  const { baseUrl } = await getCreditsCredentials(ctx);
  const options: IHttpRequestOptions = {
    method,
    url: `${baseUrl}${path}`,
    headers: { Accept: 'application/json' },
    json: true,
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
  };
  if (body !== undefined) options.body = body as IDataObject;
  if (query !== undefined) {
    options.qs = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  }
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
    body: (parsed ?? {}) as SuccessBody<Id>,
    replayed: String(replayedHeader) === 'true',
  };
}

export function apiErrorOf(response: ApiResponse<unknown>): ApiErrorBody {
  const error = (response.body as IDataObject | null)?.error as IDataObject | undefined;
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
export function describeApiError(response: ApiResponse<unknown>): string {
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
  if (error.code === 'insufficient_credits' || error.code === 'budget_exceeded')
    return insufficientMessage(error);
  const missingScope = error.details?.missingScope;
  if (response.statusCode === 403 && typeof missingScope === 'string') {
    return `${error.message} — the API key lacks the "${missingScope}" scope. Create a key that has it (POST /v1/workspaces/{ws}/api-keys with "scopes") and use it in the Credits API credential.`;
  }
  if (error.code === 'idempotency_conflict') {
    return `${error.message} — the idempotency key was already used with a different request body. Use a new key, or send exactly the same values as the first time.`;
  }
  return error.message;
}

export function insufficientMessage(error: ApiErrorBody): string {
  if (error.code === 'budget_exceeded') {
    const d = error.details ?? {};
    return `Budget exceeded: budget ${String(d.budgetId)} allows ${String(d.limit)} credits this period, ${String(d.used)} are used and this asks ${String(d.requested)}; it resets at ${String(d.resetsAt)} (or ask for more with Budget → Request Raise)`;
  }
  const required = error.details?.required;
  const available = error.details?.available;
  if (required !== undefined && available !== undefined) {
    return `Insufficient credits: this needs ${String(required)} credits but only ${String(available)} are available`;
  }
  return `Insufficient credits: ${error.message}`;
}

export function throwApiError(
  ctx: IExecuteFunctions,
  response: ApiResponse<unknown>,
  itemIndex: number,
): never {
  const error = apiErrorOf(response);
  throw new NodeApiError(ctx.getNode(), response.body as JsonObject, {
    message: describeApiError(response),
    description: `Credits API error "${error.code}" (HTTP ${response.statusCode})`,
    httpCode: String(response.statusCode),
    itemIndex,
  });
}

/** An API answer as an n8n item's JSON (the generated types are exact; n8n items are loose objects). */
export function asItemJson(body: unknown): IDataObject {
  return (body ?? {}) as IDataObject;
}

export function isSuccess(response: ApiResponse<unknown>): boolean {
  return response.statusCode >= 200 && response.statusCode < 300;
}

export function workspacePath(credentials: CreditsCredentials, suffix: string): string {
  return `/v1/workspaces/${encodeURIComponent(credentials.workspaceId)}${suffix}`;
}
