import { readFileSync } from 'node:fs';
import type { Register } from './types.js';

/** The console's stylesheet and script and the widget's script: files of this package, nothing from a CDN. */
export const ASSETS = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'credits.js': 'text/javascript; charset=utf-8',
} as const;

export type AssetName = keyof typeof ASSETS;

const cache = new Map<AssetName, string>();
export function asset(name: AssetName): string {
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8');
    cache.set(name, body);
  }
  return body;
}

export function registerAssets(register: Register): void {
  register('GET', '/app/assets/:name{console\\.(css|js)}', 'assets', (c) => {
    const name = c.req.param('name') as AssetName;
    return c.body(asset(name), 200, { 'content-type': ASSETS[name], 'cache-control': 'public, max-age=300' });
  });
}
