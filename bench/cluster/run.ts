/**
 * npm run e2e:cluster — the compose file's shape without Docker, with faults during the work.
 * Temporal server (built from its Go module at the images' version) on a PostgreSQL this run owns,
 * schema and namespace set up by the compose jobs' scripts; two API replicas behind a round-robin
 * client, two workers, the bots' HTTP receiver, one Credits database. Load: debits with retries,
 * purchases requested and approved, subscriptions renewing at one instant. Faults: kill -9 a
 * worker, kill -9 an API replica, restart the Temporal server, restart PostgreSQL (fast). Then:
 * every acknowledged debit once, every approved purchase charged and granted once, every
 * subscription renewed once per cycle, no workflow stuck, `credits verify` clean. Writes
 * bench/results/cluster.json. Knobs: CLUSTER_SUBSCRIPTIONS (1000), CLUSTER_DEBITS (2000),
 * CLUSTER_PURCHASES (50), CLUSTER_PERIOD_SECONDS (420), CLUSTER_HISTORY_SHARDS (512),
 * CLUSTER_CLEAN_CYCLE (1: time the next renewal without faults), CLUSTER_COMPARE_DEV (1: and the
 * one after on the dev server), CLUSTER_RESULTS, TEMPORAL_SERVER_DIR.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort, provisionTemporalCli, startDevServer } from '../../runtime/temporal.js';
import { provisionTemporalServer, TEMPORAL_SERVER_VERSION } from '../../runtime/temporal-server-provision.js';
import { FakeSlackApi } from '../../test/bots/fakes/slack.js';
import * as check from './checks.js';
import { credits, type Replica, RoundRobin, replica } from './credits.js';
import { FaultLog, slashCommand } from './faults.js';
import { createWorkspace, grant, runDebits, runPurchases } from './load.js';
import { dumpUnfinishedPurchases } from './post-mortem.js';
import { OwnPostgres } from './postgres.js';
import {
  CLEAN_CYCLE,
  COMPARE_DEV,
  keepLogs,
  log,
  N_DEBITS,
  N_PURCHASES,
  N_SUBS,
  NAMESPACE,
  PERIOD_S,
  RESULTS,
  round,
  SHARDS,
  SUB,
  sleep,
  until,
} from './settings.js';

const env = process.env;

import { TemporalServer } from './temporal-server.js';

async function main() {
  const started = Date.now();
  const result: Record<string, unknown> = {
    command: 'npm run e2e:cluster',
    temporalServer: `temporal-server ${TEMPORAL_SERVER_VERSION} (go.temporal.io/server, built from the module) on PostgreSQL`,
    machine: { cpus: cpus().length, loadAverageAtStart: loadavg().map(round), shared: true },
    shape: {
      subscriptions: N_SUBS,
      debits: N_DEBITS,
      purchases: N_PURCHASES,
      periodSeconds: PERIOD_S,
      historyShards: SHARDS,
    },
  };
  const t = Date.now();
  const tools = await provisionTemporalServer(env, log);
  const temporalCli = await provisionTemporalCli({
    env: { TEMPORAL_CLI: env.TEMPORAL_CLI, PATH: env.PATH },
    log,
  });
  const provisionSeconds = round((Date.now() - t) / 1000);
  log(
    `temporal-server ${TEMPORAL_SERVER_VERSION}: ${tools.server} (${tools.built ? 'built now' : 'cached'}, ${provisionSeconds} s)`,
  );

  const runDir = await mkdtemp(join(tmpdir(), 'credits-cluster-'));
  const pg = new OwnPostgres(runDir, await freePort());
  const slack = await new FakeSlackApi().start();
  const replicas: Replica[] = [];
  let temporal: TemporalServer | undefined;
  let sql: postgres.Sql | undefined;
  let devServer: Awaited<ReturnType<typeof startDevServer>> | undefined;
  const failures: string[] = [];
  try {
    await pg.init();
    log(`PostgreSQL (own instance, for the fast restart) on 127.0.0.1:${pg.port}`);
    temporal = new TemporalServer({
      tools,
      temporalCli,
      runDir,
      postgresPort: pg.port,
      namespace: NAMESPACE,
      historyShards: SHARDS,
    });
    const schemaT = Date.now();
    temporal.setupSchema();
    temporal.setupSchema(); // the compose job runs on every `up`: a second run must change nothing
    const schemaSeconds = round((Date.now() - schemaT) / 1000);
    const serverT = Date.now();
    await temporal.start();
    temporal.registerNamespace();
    log(
      `Temporal server on ${temporal.address} (schema ${schemaSeconds} s, up ${round((Date.now() - serverT) / 1000)} s)`,
    );

    const databaseUrl = await pg.createDatabase('credits');
    const operatorKey = `op_${randomBytes(18).toString('hex')}`;
    const signingSecret = randomBytes(16).toString('hex');
    const creditsEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      OPERATOR_API_KEY: operatorKey,
      SUBSCRIPTION_PERIOD_SECONDS: String(PERIOD_S),
      MAINTENANCE_INTERVAL_SECONDS: '30',
      DATABASE_POOL_MAX: '10',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APP_TOKEN: '',
      DISCORD_TOKEN: '',
      CREDITS_DATA_DIR: join(runDir, 'data'),
    };
    const migrated = credits(['migrate'], creditsEnv);
    if (migrated.status !== 0) throw new Error(`credits migrate failed:\n${migrated.output}`);
    sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });

    // The subscriptions that renew at one instant: one billing anchor, written before the workers
    // start, whose start-up (reconcileSubscriptions) starts a flow for each.
    const anchor = Date.now();
    const subIds = Array.from({ length: N_SUBS }, (_, i) => `${SUB}${String(i).padStart(5, '0')}`);
    await sql`INSERT INTO workspaces (id, name, plan, status, billing_anchor)
      SELECT id, id, 'solo', 'active', ${new Date(anchor)} FROM unnest(${subIds}::text[]) AS id`;
    const renewalAt = (cycle: number) => anchor + cycle * PERIOD_S * 1000;

    const [api1, api2, worker1, worker2, bots] = await Promise.all([
      replica('api-1', 'api', creditsEnv),
      replica('api-2', 'api', creditsEnv),
      replica('worker-1', 'worker', creditsEnv),
      replica('worker-2', 'worker', creditsEnv),
      replica('bots', 'bots', creditsEnv),
    ]);
    replicas.push(api1!, api2!, worker1!, worker2!, bots!);
    const upT = Date.now();
    await Promise.all(replicas.map((r) => r.start()));
    log(`2 API replicas, 2 workers, bots up in ${round((Date.now() - upT) / 1000)} s`);
    const rr = new RoundRobin(() => [api1!.url, api2!.url], operatorKey);

    const debitWs = ['cl-d-0', 'cl-d-1', 'cl-d-2', 'cl-d-3'];
    const purchaseWs = Array.from({ length: N_PURCHASES }, (_, i) => `cl-p-${String(i).padStart(3, '0')}`);
    for (const ws of [...debitWs, ...purchaseWs]) await createWorkspace(rr, ws, 'olga');
    for (const ws of debitWs) await grant(rr, ws, 1_000_000);
    await until(
      `the first cycle of ${N_SUBS} subscriptions`,
      renewalAt(1) - Date.now() - 5000,
      async () => (await check.renewed(sql!, SUB, 0)) >= N_SUBS,
    );
    const setupSeconds = round((Date.now() - anchor) / 1000);
    log(
      `${N_SUBS} subscriptions started, cycle 0 granted, ${setupSeconds} s after the anchor; renewal in ${round((renewalAt(1) - Date.now()) / 1000)} s`,
    );

    // The work spans the faults: it starts 15 s before the renewal instant and runs ~90 s.
    await sleep(Math.max(0, renewalAt(1) - 15_000 - Date.now()));
    const spanMs = 90_000;
    const loadT = Date.now();
    const debits = runDebits(rr, {
      n: N_DEBITS,
      spacingMs: spanMs / N_DEBITS,
      inFlight: 8,
      workspaces: debitWs,
      prefix: 'cl-debit',
    });
    const purchases = runPurchases(rr, {
      workspaces: purchaseWs,
      owner: 'olga',
      spacingMs: spanMs / N_PURCHASES,
    });

    const faults = new FaultLog(log);
    await sleep(Math.max(0, renewalAt(1) + 2000 - Date.now()));
    await faults.inject('kill -9 worker-1 (renewals and purchases in flight)', async () => {
      await worker1!.kill9();
      await sleep(2000); // the process manager's restart delay
      await worker1!.start();
    });
    await sleep(Math.max(0, renewalAt(1) + 20_000 - Date.now()));
    await faults.inject('kill -9 api-2', async () => {
      await api2!.kill9();
      await sleep(2000);
      await api2!.start();
    });
    await sleep(Math.max(0, renewalAt(1) + 35_000 - Date.now()));
    await faults.inject('restart the Temporal server (SIGTERM, start)', async () => {
      await temporal!.restart();
      await until(
        'workers polling again',
        120_000,
        async () => (await worker1!.healthy()) && (await worker2!.healthy()),
      );
    });
    await sleep(Math.max(0, renewalAt(1) + 55_000 - Date.now()));
    await faults.inject('restart PostgreSQL (pg_ctl restart -m fast)', async () => {
      pg.restartFast();
      await until('both API replicas reading the ledger', 120_000, async () => {
        const answers = await Promise.all(
          [api1!, api2!].map((a) =>
            fetch(`${a.url}/v1/workspaces/cl-d-0/balance`, {
              headers: { authorization: `Bearer ${operatorKey}` },
            })
              .then((r) => r.ok)
              .catch(() => false),
          ),
        );
        return answers.every(Boolean);
      });
    });
    const debitOutcomes = await debits;
    const purchaseOutcomes = await purchases;
    const loadSeconds = round((Date.now() - loadT) / 1000);
    log(`load done in ${loadSeconds} s; waiting for purchases and renewals to finish`);

    const seen = [0, 0, 0, 0];
    const renewedAll = (cycle: number) => async () => {
      seen[cycle] = await check.renewed(sql!, SUB, cycle);
      return seen[cycle]! >= N_SUBS;
    };
    const botAnswer = await slashCommand(bots!.url, signingSecret, 'balance');
    const approvedIds = purchaseOutcomes.filter((o) => o.approved).map((o) => o.id!);
    await until(
      'approved purchases completed',
      300_000,
      async () => (await check.completedPurchases(sql!, approvedIds)) === approvedIds.length,
    );
    await until(() => `renewal of cycle 1 for ${N_SUBS}: ${seen[1]}`, 420_000, renewedAll(1));
    const cycle1 = { seconds: round(((await check.lastRenewalAt(sql, SUB, 1)) - renewalAt(1)) / 1000) };

    const renewals: Record<string, unknown> = {
      atOneInstant: N_SUBS,
      cycle1WithFaults: { ...cycle1, perSecond: round(N_SUBS / Math.max(cycle1.seconds, 0.01)) },
    };
    if (CLEAN_CYCLE) {
      // A renewal with no fault on the same server: cycle 2.
      await until(
        () => `renewal of cycle 2 for ${N_SUBS}: ${seen[2]}`,
        renewalAt(2) - Date.now() + 420_000,
        renewedAll(2),
      );
      const s = round(((await check.lastRenewalAt(sql, SUB, 2)) - renewalAt(2)) / 1000);
      renewals.postgresServer = { cycle: 2, seconds: s, perSecond: round(N_SUBS / Math.max(s, 0.01)) };
    }
    const workflows = await check.openWorkflows(temporal.address, NAMESPACE);

    if (COMPARE_DEV) {
      // Same workspaces, next cycle, on the dev server: workers restarted against it start their flows.
      log('renewals on the dev server (temporal server start-dev, SQLite in memory) for comparison');
      await Promise.all([worker1!, worker2!, api1!, api2!, bots!].map((r) => r.stop()));
      await temporal.stop();
      devServer = await startDevServer({ executable: temporalCli, headless: true, log: () => {} });
      for (const w of [worker1!, worker2!]) {
        w.env.TEMPORAL_ADDRESS = devServer.address;
      }
      await Promise.all([worker1!.start(), worker2!.start()]);
      await until(
        () => `renewal of cycle 3 on the dev server: ${seen[3]}`,
        renewalAt(3) - Date.now() + 420_000,
        renewedAll(3),
      );
      const s = round(((await check.lastRenewalAt(sql, SUB, 3)) - renewalAt(3)) / 1000);
      renewals.devServer = { cycle: 3, seconds: s, perSecond: round(N_SUBS / Math.max(s, 0.01)) };
    }
    await Promise.all(replicas.map((r) => r.stop()));

    const verify = credits(['verify'], creditsEnv);
    const debitResult = await check.debitCounts(sql, 'cl-debit', debitOutcomes);
    const purchaseResult = await check.purchaseCounts(sql, purchaseOutcomes);
    const renewalResult = await Promise.all(
      [1, ...(CLEAN_CYCLE ? [2] : []), ...(COMPARE_DEV ? [3] : [])].map((c) =>
        check.renewalCounts(sql!, SUB, N_SUBS, c),
      ),
    );
    Object.assign(result, {
      debits: {
        ...debitResult,
        perSecondOfferedThroughTwoReplicas: round(debitResult.acknowledged / loadSeconds),
        retriesByClient: rr.retries,
      },
      purchases: purchaseResult,
      renewals: { ...renewals, byCycle: renewalResult },
      faults: faults.entries,
      workflows,
      bots: botAnswer,
      verify: { exitCode: verify.status, output: verify.output.trim().split('\n').slice(-3) },
      timings: { provisionSeconds, serverBuilt: tools.built, schemaSeconds, setupSeconds, loadSeconds },
    });
    const lost = debitResult.lost + purchaseResult.lost + renewalResult.reduce((a, r) => a + r.lost, 0);
    const doubled =
      debitResult.doubled + purchaseResult.doubled + renewalResult.reduce((a, r) => a + r.doubled, 0);
    Object.assign(result, { lost, doubled });
    if (debitResult.notAcknowledged)
      failures.push(`${debitResult.notAcknowledged} debits never acknowledged`);
    if (purchaseResult.approved !== N_PURCHASES)
      failures.push(
        `${N_PURCHASES - purchaseResult.approved} purchases not approved: ${purchaseResult.errors.join('; ')}`,
      );
    if (purchaseResult.completed !== purchaseResult.approved)
      failures.push('approved purchases not completed');
    if (lost) failures.push(`${lost} lost`);
    if (doubled) failures.push(`${doubled} doubled`);
    if (workflows.stuck.length)
      failures.push(
        `${workflows.stuck.length} workflows stuck: ${JSON.stringify(workflows.stuck.slice(0, 5))}`,
      );
    if (verify.status !== 0) failures.push(`credits verify exited ${verify.status}`);
    if (!botAnswer.ok)
      failures.push(`the bots' receiver did not answer a signed slash command: ${botAnswer.status}`);
  } catch (err) {
    failures.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    if (failures.length) {
      const dir = keepLogs(replicas, temporal);
      await dumpUnfinishedPurchases(dir, devServer ? undefined : temporal?.address, NAMESPACE, sql);
    }
    await sql?.end({ timeout: 1 }).catch(() => {});
    await Promise.all(replicas.map((r) => r.destroy()));
    await devServer?.stop();
    await temporal?.destroy();
    try {
      pg.stop();
    } catch (err) {
      log(`stopping PostgreSQL: ${err}`);
    }
    await slack.stop();
    await rm(runDir, { recursive: true, force: true });
  }
  const totalSeconds = round((Date.now() - started) / 1000);
  const kind = (result.timings as { serverBuilt?: boolean } | undefined)?.serverBuilt ? 'cold' : 'warm';
  const previous = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { runs?: Record<string, unknown> })
    : {};
  Object.assign(result, {
    date: new Date().toISOString(),
    passed: failures.length === 0,
    failures,
    totalSeconds,
    // The last cold (server built) and warm (cached) run on this machine, this one included.
    runs: {
      ...previous.runs,
      [kind]: { date: new Date().toISOString(), totalSeconds, passed: failures.length === 0 },
    },
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${RESULTS} (${totalSeconds} s)`);
  if (failures.length) {
    console.error(`e2e:cluster FAILED:\n- ${failures.join('\n- ')}`);
    console.log('cluster: 0 passed, 1 failed');
    process.exit(1);
  }
  console.log(
    JSON.stringify(
      {
        debits: result.debits,
        purchases: result.purchases,
        renewals: result.renewals,
        faults: result.faults,
        lost: result.lost,
        doubled: result.doubled,
      },
      null,
      2,
    ),
  );
  console.log('cluster: 1 passed, 0 failed');
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
