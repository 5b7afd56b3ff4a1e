import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ApiFailure } from '../api.js';
import { bare } from './layout.js';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'You are signed out',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Already decided',
  429: 'Too many requests',
  503: 'Not available right now',
};

/** An API refusal as a page: its status, its message, and the way back. */
export function errorPage(c: Context, failure: ApiFailure): Response | Promise<Response> {
  const status = failure.status as 400;
  const title =
    TITLES[failure.status] ?? (failure.status >= 500 ? 'Something went wrong' : 'That did not work');
  return c.html(
    bare(
      title,
      html`<div class="notice error" role="alert">${failure.explanation}</div>
<p><a href="/app">Back to the overview</a></p>`,
    ),
    status,
  );
}
