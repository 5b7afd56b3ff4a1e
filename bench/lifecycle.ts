/**
 * npm run bench:lifecycle — renews N workspaces (default 10,000) whose billing cycles end at the
 * same moment, on the Temporal dev server (in memory: no --db-filename) and the machine's
 * PostgreSQL; writes bench/results/lifecycle.json with the time until every renewal grant is in the
 * ledger, the rate, where the time went (activity and workflow task latencies from the worker's
 * metrics, CPU of the worker process and of the dev server) and the double-grant / verify checks.
 *   BENCH_WORKSPACES (10000), BENCH_PERIOD_SECONDS (auto: long enough for the set-up),
 *   BENCH_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres),
 *   BENCH_START_CONCURRENCY (64) concurrent workflow starts during the set-up,
 *   BENCH_WFT_SLOTS (200), BENCH_WFT_POLLS (20), BENCH_ACT_SLOTS (60), BENCH_ACT_POLLS (10),
 *   BENCH_STICKY_TIMEOUT (SDK default 10 s), BENCH_DB_POOL (40), BENCH_RESULTS (bench/results/lifecycle.json)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
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
import { freePort, requireTemporalCli, startDevServer } from '../runtime/temporal.js';
import { connectClient, reconcileSubscriptions } from '../workflows/client.js';
import { type SubscriptionActivities, subscriptionActivities } from '../workflows/subscription/activities.js';
import { bundleWorkflows, startWorker } from '../workflows/worker.js';
import { dropDatabase, freshDatabase } from './support.js';

const env = process.env;
const N = Number(env.BENCH_WORKSPACES ?? 10_000);
const admin = env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const int = (name: string, fallback: number) => Number(env[name] ?? fallback);
const workerOptions = {
  maxConcurrentWorkflowTaskExecutions: int('BENCH_WFT_SLOTS', 200),
  workflowTaskPollerBehavior: { type: 'simple-maximum' as const, maximum: int('BENCH_WFT_POLLS', 20) },
  maxConcurrentActivityTaskExecutions: int('BENCH_ACT_SLOTS', 60),
  activityTaskPollerBehavior: { type: 'simple-maximum' as const, maximum: int('BENCH_ACT_POLLS', 10) },
  maxCachedWorkflows: N + 100,
  // SDK default (10 s) unless set: 3 minutes did not shorten the start-up stall at N=10,000 (298.6 s vs 274.7 s).
  ...(env.BENCH_STICKY_TIMEOUT
    ? { stickyQueueScheduleToStartTimeout: env.BENCH_STICKY_TIMEOUT as Duration }
    : {}),
};

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

/** Sums and counts of the worker's latency histograms (Prometheus text), by metric name. */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(temporal_[a-z_]+?(?:_sum|_count))(?:\{([^}]*)\})? ([0-9.e+-]+)$/.exec(line);
    if (!m) continue;
    const op = /operation="([^"]+)"/.exec(m[2] ?? '')?.[1];
    const key = op ? `${m[1]}{${op}}` : m[1]!;
    out.set(key, (out.get(key) ?? 0) + Number(m[3]));
  }
  return out;
}

function latencyDelta(before: Map<string, number>, after: Map<string, number>, metric: string) {
  const d = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  const count = d(`temporal_${metric}_count`);
  return { count, meanMs: count ? round(d(`temporal_${metric}_sum`) / count) : null };
}

/** CPU seconds (user + system) used so far by a process, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Busy and total CPU seconds of the whole machine (all processes, ours and others'). */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + f[4]!;
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / 100, total: total / 100 };
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
  const server = await startDevServer({ executable: requireTemporalCli(env), headless: true, log: () => {} });
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
    periodSeconds: periodMs / 1000,
    worker: workerOptions,
  };
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
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
    const cpuBefore = {
      worker: process.cpuUsage(),
      server: cpuSeconds(server.process.pid),
      machine: machineCpu(),
    };
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
    const metricsAfter = await scrape(metricsUrl);
    const workerCpu = process.cpuUsage(cpuBefore.worker);
    const machine = machineCpu();
    const machineBusy = machine.busy - cpuBefore.machine.busy;
    const machineTotal = machine.total - cpuBefore.machine.total;
    result.renewSeconds = round(renewSeconds);
    result.renewedPerSecond = round(granted / renewSeconds);
    result.renewed = granted;
    result.withinFiveMinutes = granted === N && renewSeconds <= 300;
    result.renewal = {
      activities: times.summary('renewal'),
      workflowTaskScheduleToStart: latencyDelta(
        metricsBefore,
        metricsAfter,
        'workflow_task_schedule_to_start_latency',
      ),
      workflowTaskExecution: latencyDelta(metricsBefore, metricsAfter, 'workflow_task_execution_latency'),
      activityScheduleToStart: latencyDelta(
        metricsBefore,
        metricsAfter,
        'activity_schedule_to_start_latency',
      ),
      respondWorkflowTaskCompleted: latencyDelta(
        metricsBefore,
        metricsAfter,
        'request_latency{RespondWorkflowTaskCompleted}',
      ),
      respondActivityTaskCompleted: latencyDelta(
        metricsBefore,
        metricsAfter,
        'request_latency{RespondActivityTaskCompleted}',
      ),
      cpuSeconds: {
        workerProcess: round((workerCpu.user + workerCpu.system) / 1e6),
        temporalDevServer: round(cpuSeconds(server.process.pid) - cpuBefore.server),
        wholeMachineBusy: round(machineBusy),
        wholeMachineAvailable: round(machineTotal),
      },
      loadAverageAfter: loadavg().map(round),
    };
    result.progress = progress.filter((_, i) => i % 5 === 4 || i === progress.length - 1);
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

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
