/**
 * Minimal but real n8n function contexts for running our nodes outside n8n:
 * - parameters are resolved per item (an "expression" is a function of the item, evaluated for that
 *   item, the way n8n resolves `={{ $json.x }}` before the node sees the value), and missing ones get
 *   the default from the node description whose displayOptions match, as n8n does;
 * - credentials are applied through the credential class's own `authenticate` block;
 * - HTTP goes over the network with fetch (no mocks), honouring the IHttpRequestOptions the node uses.
 */
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IDataObject,
  IExecuteFunctions,
  IHttpRequestOptions,
  INode,
  INodeExecutionData,
  INodeProperties,
  INodeType,
  IWebhookFunctions,
} from 'n8n-workflow';

export type ParamValue = unknown | ((item: INodeExecutionData, itemIndex: number) => unknown);

export interface ContextOptions {
  nodeType: INodeType;
  parameters: Record<string, ParamValue>;
  credentialType: ICredentialType;
  credentials: ICredentialDataDecryptedObject;
  items?: INodeExecutionData[];
  executionId?: string;
  continueOnFail?: boolean;
  node?: Partial<INode>;
  workflow?: { id: string; name: string; active?: boolean };
  staticData?: IDataObject;
}

/** Resolves `={{$credentials.x}}`-style templates the way n8n does for generic authentication. */
export function resolveCredentialTemplate(
  template: unknown,
  credentials: ICredentialDataDecryptedObject,
): unknown {
  if (typeof template !== 'string' || !template.startsWith('=')) return template;
  return template
    .slice(1)
    .replace(/\{\{\s*\$credentials\??\.(\w+)\s*\}\}/g, (_m, key: string) => String(credentials[key] ?? ''));
}

export interface FullResponse {
  body: unknown;
  headers: Record<string, string>;
  statusCode: number;
  statusMessage: string;
}

export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly response: FullResponse,
  ) {
    super(message);
  }
}

/** `helpers.httpRequest` over real HTTP (fetch), for the subset of options n8n nodes use. */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
  let url = options.url;
  if (options.baseURL && !/^https?:\/\//.test(url)) {
    url = `${options.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  }
  const target = new URL(url);
  for (const [k, v] of Object.entries(options.qs ?? {})) target.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const res = await fetch(target, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  const contentType = res.headers.get('content-type') ?? '';
  if (options.json || contentType.includes('json')) {
    try {
      parsed = text === '' ? '' : JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const full: FullResponse = {
    body: parsed,
    headers: Object.fromEntries(res.headers.entries()),
    statusCode: res.status,
    statusMessage: res.statusText,
  };
  if (!res.ok && !options.ignoreHttpStatusErrors) {
    throw new HttpStatusError(`Request failed with status code ${res.status}`, full);
  }
  return options.returnFullResponse ? full : parsed;
}

/** Applies the credential's `authenticate` (generic type) to request options. */
export function authenticate(
  credentialType: ICredentialType,
  credentials: ICredentialDataDecryptedObject,
  options: IHttpRequestOptions,
): IHttpRequestOptions {
  const auth = credentialType.authenticate;
  if (!auth || typeof auth === 'function' || auth.type !== 'generic') {
    throw new Error(`credential ${credentialType.name}: only generic authenticate is supported here`);
  }
  const headers: IDataObject = { ...(options.headers ?? {}) };
  for (const [k, v] of Object.entries(auth.properties.headers ?? {})) {
    headers[k] = resolveCredentialTemplate(v, credentials) as string;
  }
  const qs: IDataObject = { ...(options.qs ?? {}) };
  for (const [k, v] of Object.entries(auth.properties.qs ?? {}))
    qs[k] = resolveCredentialTemplate(v, credentials);
  return { ...options, headers, qs };
}

/** Runs the credential's `test.request` as n8n's "Test credential" button does; returns the status. */
export async function testCredential(
  credentialType: ICredentialType,
  credentials: ICredentialDataDecryptedObject,
): Promise<FullResponse> {
  const request = credentialType.test?.request;
  if (!request) throw new Error(`credential ${credentialType.name} has no test request`);
  const options = authenticate(credentialType, credentials, {
    url: String(resolveCredentialTemplate(request.url, credentials)),
    baseURL: String(resolveCredentialTemplate(request.baseURL, credentials)),
    method: request.method ?? 'GET',
    json: true,
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
  });
  return (await httpRequest(options)) as FullResponse;
}

function matchesDisplayOptions(property: INodeProperties, values: Record<string, unknown>): boolean {
  const show = property.displayOptions?.show ?? {};
  for (const [name, allowed] of Object.entries(show)) {
    if (!Array.isArray(allowed) || !allowed.includes(values[name] as never)) return false;
  }
  const hide = property.displayOptions?.hide ?? {};
  for (const [name, denied] of Object.entries(hide)) {
    if (Array.isArray(denied) && denied.includes(values[name] as never)) return false;
  }
  return true;
}

/** Parameter values for one item: the given ones resolved for the item, plus visible defaults. */
export function resolveParameters(
  nodeType: INodeType,
  parameters: Record<string, ParamValue>,
  item: INodeExecutionData,
  itemIndex: number,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    values[name] =
      typeof value === 'function'
        ? (value as (i: INodeExecutionData, n: number) => unknown)(item, itemIndex)
        : value;
  }
  // Defaults in description order: an option's default may decide which later properties are visible.
  for (const property of nodeType.description.properties) {
    if (property.name in values) continue;
    if (property.type === 'notice') continue;
    if (matchesDisplayOptions(property, values)) values[property.name] = structuredClone(property.default);
  }
  return values;
}

function getPath(values: Record<string, unknown>, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function nodeOf(options: ContextOptions): INode {
  return {
    id: options.node?.id ?? '7f3c6b2e-0000-4000-8000-000000000001',
    name: options.node?.name ?? options.nodeType.description.defaults.name ?? 'Node',
    type: options.node?.type ?? `n8n-nodes-credits.${options.nodeType.description.name}`,
    typeVersion: 1,
    position: [0, 0],
    parameters: {},
    ...options.node,
  } as INode;
}

/** An IExecuteFunctions for `nodeType.execute`, with real HTTP and real credential handling. */
export function createExecuteContext(options: ContextOptions): IExecuteFunctions {
  const items = options.items ?? [{ json: {} }];
  const node = nodeOf(options);
  const credentialName = options.credentialType.name;
  const context = {
    getInputData: (inputIndex = 0) => (inputIndex === 0 ? items : []),
    getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown) {
      const item = items[itemIndex];
      if (!item) throw new Error(`getNodeParameter("${name}"): no item ${itemIndex}`);
      const values = resolveParameters(options.nodeType, options.parameters, item, itemIndex);
      // An expression may resolve to undefined: that is the node's value to judge, not a missing parameter.
      if (name in values) return values[name];
      const value = getPath(values, name);
      if (value === undefined) {
        if (fallbackValue !== undefined) return fallbackValue;
        throw new Error(`Could not get parameter "${name}"`);
      }
      return value;
    },
    async getCredentials(type: string) {
      if (type !== credentialName) throw new Error(`Node does not have credentials of type "${type}"`);
      return options.credentials;
    },
    getExecutionId: () => options.executionId as string,
    getNode: () => node,
    getWorkflow: () => options.workflow ?? { id: 'wf-test', name: 'Test workflow', active: false },
    continueOnFail: () => options.continueOnFail ?? false,
    getMode: () => 'manual',
    getWorkflowStaticData: () => (options.staticData ??= {}),
    helpers: {
      httpRequest,
      async httpRequestWithAuthentication(this: unknown, type: string, requestOptions: IHttpRequestOptions) {
        if (type !== credentialName) throw new Error(`Node does not have credentials of type "${type}"`);
        return httpRequest(authenticate(options.credentialType, options.credentials, requestOptions));
      },
      returnJsonArray(data: IDataObject | IDataObject[]) {
        return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
      },
    },
  };
  return context as unknown as IExecuteFunctions;
}

/** Runs `execute()` once, as one execution (same execution id for every call with the same options). */
export async function runNode(options: ContextOptions): Promise<INodeExecutionData[][]> {
  const execute = options.nodeType.execute;
  if (!execute) throw new Error('node has no execute()');
  return (await execute.call(createExecuteContext(options))) as INodeExecutionData[][];
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  body: IDataObject;
}

export interface WebhookReply {
  status: number;
  body: unknown;
}

/** An IWebhookFunctions around a received request; the node's reply is captured in `reply`. */
export function createWebhookContext(
  options: Omit<ContextOptions, 'items'>,
  request: WebhookRequest,
): { context: IWebhookFunctions; reply: WebhookReply } {
  const node = nodeOf(options);
  const reply: WebhookReply = { status: 0, body: undefined };
  const res = {
    status(code: number) {
      reply.status = code;
      return res;
    },
    json(body: unknown) {
      reply.body = body;
      if (reply.status === 0) reply.status = 200;
      return res;
    },
    send(body: unknown) {
      return res.json(body);
    },
    end() {
      return res;
    },
  };
  const context = {
    getRequestObject: () => ({ headers: request.headers, rawBody: request.rawBody, body: request.body }),
    getResponseObject: () => res,
    getHeaderData: () => request.headers,
    getBodyData: () => request.body,
    getNodeParameter(name: string, fallbackValue?: unknown) {
      const value = getPath(resolveParameters(options.nodeType, options.parameters, { json: {} }, 0), name);
      return value === undefined ? fallbackValue : value;
    },
    async getCredentials(type: string) {
      if (type !== options.credentialType.name)
        throw new Error(`Node does not have credentials of type "${type}"`);
      return options.credentials;
    },
    getNode: () => node,
    getWorkflowStaticData: () => (options.staticData ??= {}),
    getMode: () => 'trigger',
    helpers: {
      returnJsonArray(data: IDataObject | IDataObject[]) {
        return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
      },
    },
  };
  return { context: context as unknown as IWebhookFunctions, reply };
}
