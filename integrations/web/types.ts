import type { Context, Hono } from 'hono';
import type { WebAction } from '../../application/policies.js';
import type { UsageChartBy, UsageChartData } from '../../application/usage-chart.js';
import type { WebAccess } from '../../application/web-access.js';
import type { InProcessApi } from './api.js';
import type { WebEnv } from './session.js';

/** The console's dependencies and route registrar, apart from console.ts so pages need not import it. */
export interface WebConsoleDeps {
  webAccess: WebAccess;
  api: InProcessApi;
  /** EMBED_ORIGINS: sites that may embed the widget and frame the console. */
  embedOrigins: readonly string[];
  /** PUBLIC_URL, when set: decides Secure cookies and the widget's "buy more" link. */
  publicUrl?: string;
  /** The chat chart's data (30 days by operation or member, projection to the renewal). */
  usageChart(workspaceId: string, by: UsageChartBy): Promise<UsageChartData>;
}

export type WebApp = Hono<WebEnv> & { policies: ReadonlyMap<string, WebAction> };

export type Register = (
  method: 'GET' | 'POST' | 'OPTIONS',
  path: string,
  action: WebAction,
  ...handlers: ((c: Context<WebEnv>) => Response | Promise<Response>)[]
) => void;
