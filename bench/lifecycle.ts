/**
 * npm run bench:lifecycle — renews N workspaces (default 10,000) whose billing cycles end at the
 * same moment, on the Temporal dev server (in memory: no --db-filename) and the machine's
 * PostgreSQL; writes bench/results/lifecycle.json with the time until every renewal grant is in the
 * ledger, the rate, where the time went (activity and workflow task latencies from the worker's
 * metrics, CPU of the worker process and of the dev server) and the double-grant / verify checks.
 *   BENCH_WORKSPACES (10000), BENCH_PERIOD_SECONDS (auto: long enough for the set-up),
 *   BENCH_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres),
 *   BENCH_START_CONCURRENCY (64) concurrent workflow starts during the set-up,
 *   The worker runs with the product's tuning (workflows/worker.ts workerTuning) and a cache for N
 *   flows (WORKER_MAX_CACHED_WORKFLOWS in a deployment); to try others: BENCH_WFT_SLOTS,
 *   BENCH_WFT_POLLER=simple|autoscaling, BENCH_WFT_POLLS, BENCH_NON_STICKY_RATIO, BENCH_ACT_SLOTS, BENCH_ACT_POLLER,
 *   BENCH_ACT_POLLS, BENCH_STICKY_TIMEOUT (e.g. 10s), BENCH_DB_POOL (40), BENCH_RESULTS.
 *   Baseline phase first, in a process of its own (bench/lifecycle-baseline-main.ts: the dev
 *   server's own limit for the same shape, same worker options, a worker process as fresh as the
 *   renewals'): BENCH_BASELINE=0 skips it, BENCH_RENEWALS=0 runs only it,
 *   BENCH_BASELINE_LEAD_SECONDS (N/25 + 30) until its timers fire. BENCH_METRICS_DUMP=<file>
 *   writes the worker's raw metrics at the end.
 *   The dev server runs with the project's settings (runtime/temporal.ts DEV_SERVER_DYNAMIC_CONFIG);
 *   BENCH_SERVER_DC='{"key":value,…}' overrides or adds dynamic config, e.g. the CLI's own defaults:
 *   '{"history.timerProcessorSchedulerWorkerCount":512,"history.transferProcessorSchedulerWorkerCount":512,
 *   "system.forceSearchAttributesCacheRefreshOnRead":true}'. Each phase records the server's own
 *   metrics every 5 s (timers fired, tasks dispatched, started, completed, SQLite calls): `server`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import type { Duration } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { defaultCatalogPath, loadCatalog } from '../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../ledger/catalog/ledger-catalog.js';
import { connect } from '../ledger/db.js';
import { Ledger } from '../ledger/ledger.js';
import { Reports } from '../ledger/reports.js';
import { verifyLedger } from '../ledger/verify.js';
import { WorkspaceDirectory } from '../ledger/workspaces.js';
import { startWorker } from '../runtime/roles/worker.js';
import {
  DEV_SERVER_DYNAMIC_CONFIG,
  freePort,
  requireTemporalCli,
  startDevServer,
} from '../runtime/temporal.js';
import { connectClient, reconcileSubscriptions } from '../workflows/client.js';
import { type SubscriptionActivities, subscriptionActivities } from '../workflows/subscription/activities.js';
import { bundleWorkflows, workerTuning } from '../workflows/worker.js';
import { cpuMeter, round, scrape, serverTimeline, waitForAll, workerMetrics } from './lifecycle-metrics.js';
import { dropDatabase, freshDatabase } from './support.js';

const env = process.env;
const N = Number(env.BENCH_WORKSPACES ?? 10_000);
const admin = env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const int = (name: string, fallback: number) => Number(env[name] ?? fallback);
const optional = (name: string) => (env[name] === undefined ? undefined : Number(env[name]));
const pollers = (name: string) =>
  env[`${name}_POLLER`] === 'autoscaling'
    ? { type: 'autoscaling' as const, maximum: int(`${name}_POLLS`, 100) }
    : env[`${name}_POLLER`] === 'simple' || env[`${name}_POLLS`]
      ? { type: 'simple-maximum' as const, maximum: int(`${name}_POLLS`, 10) }
      : undefined;
/** The product's worker (workerTuning) with its cache sized for N flows; BENCH_* knobs override. */
const workerOptions = Object.fromEntries(
  Object.entries({
    maxCachedWorkflows: N + 100,
    maxConcurrentWorkflowTaskExecutions: optional('BENCH_WFT_SLOTS'),
    workflowTaskPollerBehavior: pollers('BENCH_WFT'),
    maxConcurrentActivityTaskExecutions: optional('BENCH_ACT_SLOTS'),
    activityTaskPollerBehavior: pollers('BENCH_ACT'),
    stickyQueueScheduleToStartTimeout: env.BENCH_STICKY_TIMEOUT as Duration | undefined,
    nonStickyToStickyPollRatio: optional('BENCH_NON_STICKY_RATIO'),
  }).filter(([, v]) => v !== undefined),
);

/** Per activity type: calls, time from scheduled to started, execution time (ms), in the current phase. */
class ActivityTimes {
  phase = 'setup';
  readonly stats = new Map<string, { calls: number; scheduleToStartMs: number; executionMs: number }>();
  wrap<K extends keyof SubscriptionActivities>(name: K, fn: SubscriptionActivities[K]) {
    return (async (...args: unknown[]) => {
      const started = Date.now();
      const scheduled = Context.current().info.currentAttemptScheduledTimestampMs;
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        const key = `${this.phase}:${name}`;
        const s = this.stats.get(key) ?? { calls: 0, scheduleToStartMs: 0, executionMs: 0 };
        s.calls++;
        s.scheduleToStartMs += started - scheduled;
        s.executionMs += Date.now() - started;
        this.stats.set(key, s);
      }
    }) as SubscriptionActivities[K];
  }
  summary(phase: string) {
    const out: Record<string, { calls: number; meanScheduleToStartMs: number; meanExecutionMs: number }> = {};
    for (const [key, s] of this.stats) {
      if (!key.startsWith(`${phase}:`)) continue;
      out[key.slice(phase.length + 1)] = {
        calls: s.calls,
        meanScheduleToStartMs: round(s.scheduleToStartMs / s.calls),
        meanExecutionMs: round(s.executionMs / s.calls),
      };
    }
    return out;
  }
}

/** The baseline in its own process (bench/lifecycle-baseline-main.ts), on the same dev server. */
function runBaselineProcess(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('./lifecycle-baseline-main.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script], {
    env: { ...process.env, BENCH_BASELINE_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk;
    process.stdout.write(chunk.toString().replace(/\n\{.*\}\n$/s, '\n'));
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Record<string, unknown>);
      else reject(new Error(`the baseline process exited with ${code}`));
    });
  });
}

async function main() {
  const metricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const dbName = `credits_bench_lifecycle_${Date.now()}`;
  const url = await freshDatabase(admin, dbName, true);
  const sql = connect(url, { max: int('BENCH_DB_POOL', 40) });
  // In memory (no dataDir): the bench measures the lifecycle, not the dev server's SQLite file.
  // The server's own metrics give each phase a time line (what the server did, every 5 s).
  const serverMetricsPort = await freePort();
  const serverDynamicConfig = env.BENCH_SERVER_DC
    ? (JSON.parse(env.BENCH_SERVER_DC) as Record<string, unknown>)
    : {};
  const server = await startDevServer({
    executable: requireTemporalCli(env),
    headless: true,
    metricsPort: serverMetricsPort,
    dynamicConfig: serverDynamicConfig,
    log: () => {},
  });
  const serverMetricsUrl = `http://127.0.0.1:${serverMetricsPort}/metrics`;
  // Set-up (start N flows and grant their first cycle) must end before the shared cycle end.
  const periodMs = Number(env.BENCH_PERIOD_SECONDS ?? Math.max(90, Math.ceil(N / 25) + 60)) * 1000;
  const catalog = loadCatalog(defaultCatalogPath());
  const ledger = new Ledger(sql, ledgerCatalog(catalog), { cyclePeriodMs: periodMs });
  const directory = new WorkspaceDirectory(sql, planKeys(catalog));
  const reports = new Reports(sql);
  const ctx = { catalog, ledger, directory, reports };
  const target = { address: server.address, namespace: 'default' };
  const connection = await NativeConnection.connect({ address: server.address });
  const client = await connectClient(target);
  // No expiry reminders: in production they go out days before the boundary, never at it (and
  // the bench's short period would put them into the renewal window).
  const timing = { periodMs, reminderBeforeMs: 0, cyclesPerRun: 12 };
  const times = new ActivityTimes();
  const subs = subscriptionActivities({ ledger, reports, directory, catalog, timing });
  const taskQueue = 'bench-lifecycle';
  const result: Record<string, unknown> = {
    command: `BENCH_WORKSPACES=${N} npm run bench:lifecycle`,
    workspaces: N,
    cpus: cpus().length,
    loadAverageAtStart: loadavg().map(round),
    temporalServer: 'temporal server start-dev (CLI v1.5.1), in memory (no --db-filename), headless',
    serverDynamicConfig: { ...DEV_SERVER_DYNAMIC_CONFIG, ...serverDynamicConfig },
    periodSeconds: periodMs / 1000,
    worker: workerTuning(workerOptions),
  };
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    if (env.BENCH_BASELINE !== '0') {
      result.baseline = await runBaselineProcess({
        address: server.address,
        n: N,
        workerOptions,
        serverMetricsUrl,
        serverPid: server.process.pid,
        startConcurrency: int('BENCH_START_CONCURRENCY', 64),
        leadSeconds: int('BENCH_BASELINE_LEAD_SECONDS', Math.ceil(N / 25) + 30),
      });
      const b = result.baseline as { seconds: number; perSecond: number };
      console.log(
        `baseline: ${N} timer-fired workflows ran their local activity in ${b.seconds} s (${b.perSecond}/s)`,
      );
      if (env.BENCH_RENEWALS === '0') {
        if (env.BENCH_METRICS_DUMP)
          writeFileSync(env.BENCH_METRICS_DUMP, await (await fetch(metricsUrl)).text());
        console.log(JSON.stringify(result, null, 2));
        return;
      }
    }
    const anchor = new Date();
    const ids = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(6, '0')}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await sql`
        INSERT INTO workspaces (id, name, plan, status, billing_anchor)
        SELECT id, id, 'solo', 'active', ${anchor} FROM unnest(${chunk}::text[]) AS id`;
    }
    worker = await startWorker(ctx, {
      connection,
      client,
      taskQueue,
      workflowBundle: await bundleWorkflows(),
      notifiers: [],
      timing,
      maintenanceEveryMs: null,
      dispatchAlerts: false,
      activityOverrides: {
        subscriptionSnapshot: times.wrap('subscriptionSnapshot', subs.subscriptionSnapshot),
        beginCycle: times.wrap('beginCycle', subs.beginCycle),
        expiryReminder: times.wrap('expiryReminder', subs.expiryReminder),
        renewCycle: times.wrap('renewCycle', subs.renewCycle),
      },
      workerOptions,
    });
    const t0 = performance.now();
    await reconcileSubscriptions({
      client,
      workspaces: directory,
      taskQueue,
      concurrency: int('BENCH_START_CONCURRENCY', 64),
    });
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
    result.setupActivities = times.summary('setup');
    console.log(
      `${N} flows started and first cycle granted in ${result.setupSeconds} s; cycles end in ${round((cycleEnd - Date.now()) / 1000)} s`,
    );
    while (Date.now() < cycleEnd) await new Promise((r) => setTimeout(r, 200));
    times.phase = 'renewal';
    const metricsBefore = await scrape(metricsUrl);
    const cpu = cpuMeter(server.process.pid);
    const timeline = serverTimeline(serverMetricsUrl, cycleEnd);
    const renewal = await waitForAll(N, cycleEnd, () => count(1), 'renewed');
    const spent = cpu();
    const serverSide = await timeline();
    result.renewSeconds = renewal.seconds;
    result.renewedPerSecond = renewal.perSecond;
    result.renewed = renewal.done;
    result.renewalsWithin100Seconds = renewal.done === N && renewal.seconds <= 100;
    const baselineRate = (result.baseline as { perSecond: number } | undefined)?.perSecond;
    result.renewalRateOverBaseline = baselineRate ? round(renewal.perSecond / baselineRate) : null;
    result.renewal = {
      activities: times.summary('renewal'),
      ...spent,
      workerMetrics: workerMetrics(metricsBefore, await scrape(metricsUrl)),
      server: serverSide,
    };
    result.progress = renewal.progress;
    if (env.BENCH_METRICS_DUMP) writeFileSync(env.BENCH_METRICS_DUMP, await (await fetch(metricsUrl)).text());
    await worker.stop();
    const [dups] = await sql`
      SELECT count(*)::int AS n FROM (
        SELECT workspace_id, l.source->>'cycle' AS cycle, count(*) FROM lots l
         WHERE l.type = 'subscription' GROUP BY 1, 2 HAVING count(*) > 1) d`;
    result.doubleGrants = dups!.n;
    const [expired] = await sql`SELECT count(*)::int AS n FROM journal WHERE kind = 'expire'`;
    result.cycle0Expiries = expired!.n;
    const [alerts] = await sql`SELECT count(*)::int AS n FROM alert_events`;
    result.alertEvents = alerts!.n;
    result.verifyViolations = (await verifyLedger(sql)).length;
    console.log(JSON.stringify(result, null, 2));
    const out = env.BENCH_RESULTS ?? 'bench/results/lifecycle.json';
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
    const failures = [
      result.renewed !== N && `only ${result.renewed}/${N} workspaces renewed`,
      result.doubleGrants !== 0 && `${result.doubleGrants} (workspace, cycle) pairs granted twice`,
      result.verifyViolations !== 0 && `verify found ${result.verifyViolations} violations`,
    ].filter(Boolean);
    if (failures.length) throw new Error(`bench:lifecycle FAILED: ${failures.join('; ')}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await worker?.stop();
    await client.connection.close();
    await connection.close();
    await server.stop();
    await sql.end();
    await dropDatabase(admin, dbName);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
