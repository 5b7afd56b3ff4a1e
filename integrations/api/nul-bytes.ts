import type { MiddlewareHandler } from 'hono';
import { invalid } from './errors.js';

/**
 * PostgreSQL text cannot hold U+0000: a NUL in a path segment or query parameter would reach the
 * database and fail there as a 500. It is refused here as a 400 naming the parameter.
 */
export const refuseNulBytes: MiddlewareHandler = async (c, next) => {
  const url = new URL(c.req.url);
  const issues: { field: string; message: string }[] = [];
  let path = url.pathname;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // A malformed escape is the router's to refuse.
  }
  if (path.includes('\u0000')) issues.push({ field: 'path', message: 'must not contain a NUL byte' });
  for (const [name, value] of url.searchParams) {
    if (name.includes('\u0000') || value.includes('\u0000')) {
      issues.push({ field: name.replaceAll('\u0000', '\\0'), message: 'must not contain a NUL byte' });
    }
  }
  if (issues.length > 0) throw invalid(issues);
  return next();
};
