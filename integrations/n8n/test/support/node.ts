import type { INodeExecutionData } from 'n8n-workflow';
import { CreditsApi } from '../../credentials/CreditsApi.credentials';
import { Credits } from '../../nodes/Credits/Credits.node';
import type { TestApi } from './api';
import { type ContextOptions, createExecuteContext, type ParamValue, runNode } from './n8n-context';

export const node = new Credits();
export const credentialType = new CreditsApi();

export interface NodeWorkspace {
  workspaceId: string;
  credentials: { baseUrl: string; apiKey: string; workspaceId: string };
  run(
    parameters: Record<string, ParamValue>,
    options?: Partial<ContextOptions>,
  ): Promise<INodeExecutionData[][]>;
  context(parameters?: Record<string, ParamValue>): ReturnType<typeof createExecuteContext>;
}

/** A fresh workspace of the test API and the Credits node's execute() bound to its credential. */
export async function nodeWorkspace(
  api: TestApi,
  credits: number,
  scopes?: string[],
): Promise<NodeWorkspace> {
  const { workspaceId, apiKey } = await api.workspace(credits, scopes);
  const credentials = { baseUrl: `${api.url}/`, apiKey, workspaceId };
  return {
    workspaceId,
    credentials,
    run: (parameters, options = {}) =>
      runNode({ nodeType: node, credentialType, credentials, parameters, executionId: '2001', ...options }),
    context: (parameters = {}) =>
      createExecuteContext({ nodeType: node, credentialType, credentials, parameters }),
  };
}

/** Captures the Credits API requests the node makes (method, path and query) while `run` runs. */
export async function recordRequests<T>(run: () => Promise<T>): Promise<{ result: T; requests: URL[] }> {
  const requests: URL[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    requests.push(new URL(String(input)));
    return realFetch(input, init);
  };
  try {
    return { result: await run(), requests };
  } finally {
    globalThis.fetch = realFetch;
  }
}
