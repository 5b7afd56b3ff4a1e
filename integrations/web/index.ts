import { getRequestListener } from '@hono/node-server';
import { createWebConsole, type WebConsoleDeps } from './console.js';

export type { InProcessApi } from './api.js';
export { createWebConsole, type WebApp, type WebConsoleDeps } from './console.js';

/** Where the console is served on the API's port. */
export const WEB_PATHS = ['/app', '/embed'] as const;

/** The console and widget as one Node listener for the API server's mounts. */
export function webConsoleListener(deps: WebConsoleDeps) {
  return getRequestListener(createWebConsole(deps).fetch);
}
