/**
 * npm run bench:lifecycle — renews N workspaces (default 10,000) whose billing cycles end at the
 * same moment, on the Temporal dev server and the machine's PostgreSQL; writes
 * bench/results/lifecycle.json with the time until every renewal grant is in the ledger, the rate,
 * and the double-grant / verify checks.
 *   BENCH_WORKSPACES (10000), BENCH_PERIOD_SECONDS (auto: long enough for the set-up),
 *   BENCH_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { defaultCatalogPath, loadCatalog } from '../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../ledger/catalog/ledger-catalog.js';
import { connect } from '../ledger/db.js';
import { Ledger } from '../ledger/ledger.js';
import { verifyLedger } from '../ledger/verify.js';
import { Directory } from '../ledger/workspaces.js';
import { startDevServer } from '../runtime/temporal.js';
import { connectClient, reconcileSubscriptions } from '../workflows/client.js';
import { bundleWorkflows, startWorker } from '../workflows/worker.js';
import { dropDatabase, freshDatabase } from './support.js';

const N = Number(process.env.BENCH_WORKSPACES ?? 10_000);
const admin = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dbName = `credits_bench_lifecycle_${Date.now()}`;
  const url = await freshDatabase(admin, dbName, true);
  const sql = connect(url, { max: 40 });
  const server = await startDevServer({ headless: true, log: () => {} });
  // Set-up (start N flows and grant their first cycle) must end before the shared cycle end.
  const periodMs = Number(process.env.BENCH_PERIOD_SECONDS ?? Math.max(90, Math.ceil(N / 12))) * 1000;
  const catalog = loadCatalog(defaultCatalogPath());
  const ledger = new Ledger(sql, ledgerCatalog(catalog), { cyclePeriodMs: periodMs });
  const directory = new Directory(sql, planKeys(catalog));
  const ctx = { sql, catalog, catalogFile: 'default', ledger, directory, close: async () => {} };
  const target = { address: server.address, namespace: 'default' };
  const connection = await NativeConnection.connect({ address: server.address });
  const client = await connectClient(target);
  const result: Record<string, unknown> = {
    workspaces: N,
    cpus: cpus().length,
    periodSeconds: periodMs / 1000,
  };
  try {
    const anchor = new Date();
    const ids = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(6, '0')}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await sql`
        INSERT INTO workspaces (id, name, plan, status, billing_anchor)
        SELECT id, id, 'solo', 'active', ${anchor} FROM unnest(${chunk}::text[]) AS id`;
    }
    const worker = await startWorker(ctx, {
      connection,
      client,
      taskQueue: 'bench-lifecycle',
      workflowBundle: await bundleWorkflows(),
      notifiers: [],
      timing: { periodMs, reminderBeforeMs: Math.round(periodMs / 2), cyclesPerRun: 12 },
      maintenanceEveryMs: null,
      dispatchAlerts: false,
      workerOptions: {
        maxConcurrentActivityTaskExecutions: 100,
        maxConcurrentWorkflowTaskExecutions: 100,
        maxCachedWorkflows: N + 100,
      },
    });
    const t0 = performance.now();
    await reconcileSubscriptions({ client, sql, taskQueue: 'bench-lifecycle', concurrency: 64 });
    const started = performance.now();
    const count = async (index: number) =>
      Number(
        (
          await sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE key LIKE ${'cycle:%'} AND key LIKE ${`%:${index}`}`
        )[0]!.n,
      );
    while ((await count(0)) < N) {
      if (Date.now() >= anchor.getTime() + periodMs) {
        throw new Error(
          `set-up did not finish within the ${periodMs / 1000} s period (${await count(0)}/${N} first grants): set BENCH_PERIOD_SECONDS higher`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const setup = performance.now();
    const cycleEnd = anchor.getTime() + periodMs;
    result.setupSeconds = round((setup - t0) / 1000);
    result.startWorkflowsSeconds = round((started - t0) / 1000);
    result.setupFinishedBeforeCycleEnd = Date.now() < cycleEnd;
    console.log(
      `${N} flows started and first cycle granted in ${result.setupSeconds} s; cycles end in ${round((cycleEnd - Date.now()) / 1000)} s`,
    );
    while (Date.now() < cycleEnd) await new Promise((r) => setTimeout(r, 200));
    const progress: { seconds: number; granted: number }[] = [];
    let granted = 0;
    while (granted < N) {
      await new Promise((r) => setTimeout(r, 1000));
      granted = await count(1);
      progress.push({ seconds: round((Date.now() - cycleEnd) / 1000), granted });
      if (progress.length % 10 === 0)
        console.log(`  ${granted}/${N} renewed after ${progress.at(-1)!.seconds} s`);
      if (Date.now() - cycleEnd > 15 * 60_000) break;
    }
    const renewSeconds = (Date.now() - cycleEnd) / 1000;
    result.renewSeconds = round(renewSeconds);
    result.renewedPerSecond = round(granted / renewSeconds);
    result.renewed = granted;
    result.withinFiveMinutes = granted === N && renewSeconds <= 300;
    result.progress = progress.filter((_, i) => i % 5 === 4 || i === progress.length - 1);
    await worker.stop();
    const [dups] = await sql`
      SELECT count(*)::int AS n FROM (
        SELECT workspace_id, l.source->>'cycle' AS cycle, count(*) FROM lots l
         WHERE l.type = 'subscription' GROUP BY 1, 2 HAVING count(*) > 1) d`;
    result.doubleGrants = dups!.n;
    const [expired] = await sql`SELECT count(*)::int AS n FROM journal WHERE kind = 'expire'`;
    result.cycle0Expiries = expired!.n;
    result.verifyViolations = (await verifyLedger(sql)).length;
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/lifecycle.json',
      `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`,
    );
  } finally {
    await client.connection.close();
    await connection.close();
    await server.stop();
    await sql.end();
    await dropDatabase(admin, dbName);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
