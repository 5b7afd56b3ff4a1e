/**
 * npm run bench:web — the web console's overview page with 1 M journal entries in one workspace
 * (seeded in SQL by bench/support.ts seedLedger, all within the last 30 days, so the usage sums
 * and the chart read every one of them), and the size of the console's JavaScript and CSS and of
 * the widget's script, gzip-compressed. Writes bench/results/web.json.
 *   BENCH_ENTRIES (1000000), BENCH_REQUESTS (60, after 10 warm-up), BENCH_ADMIN_URL
 *   (postgres://postgres@127.0.0.1:5432/postgres), BENCH_RESULTS (bench/results).
 * The time is measured from a client on the same machine to the API's port: the server's time
 * plus a loopback round trip.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { buildUsageChart } from '../application/usage-chart.js';
import { startApiServer } from '../integrations/api/server.js';
import { asset } from '../integrations/web/assets.js';
import { createContext } from '../runtime/context.js';
import { webMounts } from '../runtime/web.js';
import { dropDatabase, freshDatabase, percentile, seedLedger } from './support.js';

const entries = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const requests = Number(process.env.BENCH_REQUESTS ?? 60);
const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const resultsDir = process.env.BENCH_RESULTS ?? 'bench/results';
const dbName = `credits_bench_web_${process.pid}`;

const gz = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

async function main() {
  const sizes = {
    consoleJsCssGzipBytes: gz(asset('console.js')) + gz(asset('console.css')),
    consoleJsCssRawBytes: Buffer.byteLength(asset('console.js')) + Buffer.byteLength(asset('console.css')),
    widgetGzipBytes: gz(asset('credits.js')),
  };
  console.log('sizes', sizes);
  const url = await freshDatabase(adminUrl, dbName, true);
  const ctx = createContext({ databaseUrl: url });
  try {
    const seedStart = performance.now();
    const [ws] = await seedLedger(ctx.sql, { workspaces: 1, entries, prefix: 'webbench' });
    await ctx.sql`INSERT INTO members (workspace_id, id, name, role) VALUES (${ws!}, 'olga', 'Olga', 'owner')`;
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const [{ n }] =
      (await ctx.sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws!}`) as unknown as [
        { n: number },
      ];
    console.log(`seeded ${n} journal entries in ${seedSeconds.toFixed(1)} s`);
    const server = await startApiServer({
      ctx: { ...ctx, operatorKey: 'op_bench_web_0123456789abcdef' },
      port: 0,
      host: '127.0.0.1',
      appMounts: (app) => webMounts(ctx, { EMBED_ORIGINS: undefined, PUBLIC_URL: undefined }, app),
    });
    try {
      const operator = { kind: 'operator', keyId: null, name: 'bench' } as const;
      const link = await ctx.webAccess.createLoginLink(operator, ws!, 'olga', server.url);
      const signed = await ctx.webAccess.signIn(link.token);
      if (!signed.ok) throw new Error(signed.reason);
      const cookie = `credits_session=${signed.sessionToken}`;
      const timeOne = async (path: string) => {
        const t = performance.now();
        const r = await fetch(`${server.url}${path}`, { headers: { cookie } });
        const body = await r.text();
        if (r.status !== 200) throw new Error(`${path} → ${r.status} ${body.slice(0, 300)}`);
        return performance.now() - t;
      };
      for (let i = 0; i < 10; i++) await timeOne('/app');
      const byPath: Record<string, { p50: number; p95: number; max: number; n: number }> = {};
      for (const path of ['/app', '/app?by=member', '/app/transactions', '/app/usage']) {
        const ms: number[] = [];
        for (let i = 0; i < requests; i++) ms.push(await timeOne(path));
        ms.sort((a, b) => a - b);
        byPath[path] = {
          p50: +percentile(ms, 50).toFixed(1),
          p95: +percentile(ms, 95).toFixed(1),
          max: +ms.at(-1)!.toFixed(1),
          n: ms.length,
        };
        console.log(path, byPath[path]);
      }
      // What the chart itself costs (the chat's data function) beside the page.
      const chartMs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await buildUsageChart(ctx, ws!, { now: new Date(), perDay: 1, by: 'operation' });
        chartMs.push(performance.now() - t);
      }
      chartMs.sort((a, b) => a - b);
      const result = {
        bench: 'web',
        at: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          loadAverageAtEnd: loadavg().map((l) => +l.toFixed(2)),
          note: 'shared machine: other jobs ran at the same time (see the load average)',
        },
        journalEntries: n,
        seedSeconds: +seedSeconds.toFixed(1),
        requestsPerPage: requests,
        pages: byPath,
        overviewP95Ms: byPath['/app']!.p95,
        overviewTargetMs: 300,
        usageChartDataP95Ms: +percentile(chartMs, 95).toFixed(1),
        sizes: { ...sizes, consoleBudgetBytes: 150 * 1024, widgetBudgetBytes: 15 * 1024 },
      };
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(`${resultsDir}/web.json`, `${JSON.stringify(result, null, 2)}\n`);
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await server.close();
    }
  } finally {
    await ctx.close();
    await dropDatabase(adminUrl, dbName);
  }
}

await main();
