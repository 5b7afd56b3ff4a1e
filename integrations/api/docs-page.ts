import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './auth.js';

/**
 * The API reference at /docs: Swagger UI from the `swagger-ui-dist` package (pre-built, no runtime
 * dependencies), its files served from node_modules by this route, so the page works offline and
 * loads nothing from a CDN. The page script is a file too (no inline script), so a strict CSP works.
 */
const ASSETS: Record<string, { file: string | null; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'init.js': { file: null, type: 'text/javascript; charset=utf-8' },
};

const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: './openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Credits API reference</title>
    <link rel="stylesheet" href="./docs/assets/swagger-ui.css">
  </head>
  <body>
    <noscript>The reference needs JavaScript; the document itself is at <a href="./openapi.json">/openapi.json</a>.</noscript>
    <div id="reference"></div>
    <script src="./docs/assets/swagger-ui-bundle.js"></script>
    <script src="./docs/assets/init.js"></script>
  </body>
</html>
`;

function assetDirectory(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

export function registerDocsRoutes(app: OpenAPIHono<ApiEnv>): void {
  let dir: string | undefined;
  const cache = new Map<string, Buffer>();

  // Relative URLs in the page: the page works behind a reverse proxy that mounts the API under a prefix.
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset)
      return c.json({ error: { code: 'not_found', message: `no asset ${name}`, details: {} } }, 404);
    let body = cache.get(name);
    if (body === undefined) {
      dir ??= assetDirectory();
      body = asset.file === null ? Buffer.from(INIT_SCRIPT) : await readFile(join(dir, asset.file));
      cache.set(name, body);
    }
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=3600',
    });
  });
}
