// `npm run bench:access`: CPU cost of what access control adds to each /v1 request: key lookup (cache hit), the limiter, the policy match.

import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { Hono } from 'hono';
import postgres from 'postgres';
import { createApp } from '../integrations/api/app.js';
import { enforcePolicies } from '../integrations/api/policy.js';
import { rateLimit } from '../integrations/api/rate-limit.js';
import { migrate } from '../ledger/migrate.js';
import { createContext } from '../runtime/context.js';

const admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
const db = `credits_access_${process.pid}`;
await admin.unsafe(`CREATE DATABASE ${db}`);
const ctx = createContext({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${db}`, poolMax: 2 });
await migrate(ctx.sql);
await ctx.directory.createWorkspace({ id: 'w1', name: 'w1', plan: 'solo', status: 'active' });
const created = await ctx.apiKeys.create(
  { kind: 'operator', keyId: null, name: 'op' },
  'w1',
  { name: 'k' },
  'cli',
);
const app = createApp({ ...ctx, operatorKey: 'op_access_overhead_0123456789' });
const policy = enforcePolicies(app);
const limiter = rateLimit({ points: 1e9, durationSeconds: 60 });
const principal = await ctx.apiKeys.authenticate(created.key);
const c = {
  req: { method: 'POST', path: '/v1/workspaces/w1/debits' },
  get: () => principal,
  header: () => {},
} as never;
const next = async () => {};
// The policy reads the router's match, so it is timed inside a real Hono router: the same route
// with and without it, the difference being what it adds.
const routed = (withPolicy: boolean) => {
  const r = new Hono<{ Variables: { principal: typeof principal } }>();
  r.use('/v1/*', async (ctx, go) => {
    ctx.set('principal', principal);
    await go();
  });
  if (withPolicy) r.use('/v1/*', policy);
  r.post('/v1/workspaces/:ws/debits', (ctx) => ctx.body(null, 204));
  return r;
};
const [withPolicy, withoutPolicy] = [routed(true), routed(false)];
const debit = () => new Request('http://bench/v1/workspaces/w1/debits', { method: 'POST' });
const N = 200_000;
const results: Record<string, number> = {};
let routeOnly = 0;
for (const [label, fn] of [
  ['key lookup (cache hit)', () => ctx.apiKeys.authenticate(created.key)],
  ['rate limiter', () => limiter(c, next)],
  ['route without policy', () => withoutPolicy.fetch(debit())],
  ['policy match + authorize', () => withPolicy.fetch(debit())],
] as const) {
  for (let i = 0; i < 5000; i++) await fn();
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const u = process.cpuUsage(t0);
  const perRequest = (u.user + u.system) / N;
  if (label === 'route without policy') {
    routeOnly = perRequest;
    continue;
  }
  results[label] = Number(
    (label === 'policy match + authorize' ? perRequest - routeOnly : perRequest).toFixed(2),
  );
  console.log(`${label}: ${results[label]} µs CPU per request`);
}
const total = Object.values(results).reduce((a, b) => a + b, 0);
console.log(
  `together: ${total.toFixed(2)} µs per request (an HTTP debit costs the API about 500-1,000 µs of CPU here)`,
);
await writeFile(
  'bench/results/access.json',
  `${JSON.stringify({ command: 'npm run bench:access', at: new Date().toISOString(), loadAverage: loadavg(), microsecondsPerRequest: results, total }, null, 2)}\n`,
);
await ctx.close();
await admin.unsafe(`DROP DATABASE ${db} WITH (FORCE)`);
await admin.end();
