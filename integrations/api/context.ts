import type { OpenAPIHono } from '@hono/zod-openapi';
import type { SubscriptionStatus } from '../../ledger/types.js';
import type { Workspace } from '../../ledger/workspaces.js';
import type { AppContext } from '../../runtime/context.js';
import type { ApiEnv } from './auth.js';
import type { ApiMetrics } from './metrics.js';
import type { PurchaseService } from './purchases.js';

/** What the HTTP API needs: the shared context plus the operator secret and pluggable services. */
export interface ApiContext extends AppContext {
  /** OPERATOR_API_KEY: a Bearer secret with operator rights (stored operator keys work too). */
  operatorKey?: string;
  /** Plugged in by the Temporal worker side; purchase endpoints answer 503 without it. */
  purchases?: PurchaseService;
  /** Starts or signals a workspace's subscription flow after it is created or changed. */
  lifecycle?: LifecycleHooks;
  /** PUBLIC_URL: the base URL clients use, shown in /openapi.json's `servers` (default: the address reached). */
  publicUrl?: string;
  /** Timeout of the database check of /healthz, in ms (default 1500). */
  healthTimeoutMs?: number;
}

/** The subscription lifecycle's entry points (implemented with Temporal in workflows/client.ts). */
export interface LifecycleHooks {
  onWorkspaceCreated(workspace: Workspace): Promise<void>;
  onWorkspaceUpdated(
    workspace: Workspace,
    patch: { plan?: string; status?: SubscriptionStatus },
  ): Promise<void>;
}

export type ApiApp = OpenAPIHono<ApiEnv>;

export interface RouteDeps {
  ctx: ApiContext;
  metrics: ApiMetrics;
}
