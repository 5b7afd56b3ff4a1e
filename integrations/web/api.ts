import type { Principal } from '../../application/access.js';

/**
 * The HTTP API called in-process as the signed-in member: the console shows exactly what the API
 * answers (same numbers, same validation, same 400s) and every call passes the API's policies too.
 * Handed in by runtime/, which owns both adapters.
 */
export type InProcessApi = (principal: Principal, request: Request) => Promise<Response>;

/** An API refusal, shown on the page with its status and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** The message with the fields the API named, as one line for a person. */
  get explanation(): string {
    const fields = (this.details as { fields?: { field: string; message: string }[] } | null)?.fields;
    if (!fields?.length) return this.message;
    return fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  }
}

type Query = Record<string, string | undefined>;

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export function apiClient(call: InProcessApi, principal: Principal): ApiClient {
  const request = async <T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> => {
    const url = new URL(path, 'http://in-process');
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== '') url.searchParams.set(k, v);
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await call(principal, new Request(url, init));
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const error = (parsed as { error?: { code: string; message: string; details: unknown } } | null)?.error;
      throw new ApiFailure(
        response.status,
        error?.code ?? 'error',
        error?.message ?? `HTTP ${response.status}`,
        error?.details ?? null,
      );
    }
    return parsed as T;
  };
  return {
    get: (path, query) => request('GET', path, query),
    send: (method, path, body) => request(method, path, undefined, body),
  };
}
