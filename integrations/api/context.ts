import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiKeys } from '../../application/api-keys.js';
import type { AutoTopUpLimits } from '../../application/auto-top-up.js';
import type { LifecycleHooks } from '../../application/lifecycle.js';
import type { Purchases } from '../../application/purchases.js';
import type { RefundFlows } from '../../application/refunds.js';
import type { CoreServices } from '../../application/services.js';
import type { WebAccess } from '../../application/web-access.js';
import type { ApiEnv } from './auth.js';
import type { ApiMetrics } from './metrics.js';

/** What the HTTP API needs: the shared context plus the operator secret and pluggable services. */
export interface ApiContext extends CoreServices {
  /** OPERATOR_API_KEY: a Bearer secret with operator rights (stored operator keys work too). */
  operatorKey?: string;
  /** Plugged in by the Temporal worker side; purchase endpoints answer 503 without it. */
  purchases?: Purchases;
  /** Starts the refund flow at once; without it the maintenance schedule starts it within a minute. */
  refundFlows?: RefundFlows;
  /** Starts or signals a workspace's subscription flow after it is created or changed. */
  lifecycle?: LifecycleHooks;
  /** PUBLIC_URL: the base URL clients use, shown in /openapi.json's `servers` (default: the address reached). */
  publicUrl?: string;
  /** Who a Bearer key is and what it may do (scopes, member binding, revocation on every replica). */
  apiKeys: ApiKeys;
  /** Upper bounds of auto top-up policies (AUTO_TOP_UP_MAX_*). */
  autoTopUpLimits?: AutoTopUpLimits;
  /** Per-key request limit; none when absent. */
  rateLimit?: { points: number; durationSeconds: number };
  /** Login links, console sessions and embed tokens; their endpoints answer 503 without it. */
  webAccess?: WebAccess;
  /** Timeout of the database check of /healthz, in ms (default 1500). */
  healthTimeoutMs?: number;
}

export type ApiApp = OpenAPIHono<ApiEnv>;

export interface RouteDeps {
  ctx: ApiContext;
  metrics: ApiMetrics;
}
