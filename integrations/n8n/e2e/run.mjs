#!/usr/bin/env node
// End-to-end: our community node inside a real n8n.
//
//   npm run e2e:n8n
//
// 1. Node 24 from the npm registry (the `node-linux-<arch>` package: a binary inside a registry
//    package) and n8n, both installed in a throw-away folder (.data/n8n-e2e, git-ignored; reused
//    between runs, set N8N_E2E_FRESH=1 to reinstall).
// 2. Builds this package and stages it as a custom extension (N8N_CUSTOM_EXTENSIONS).
// 3. Starts the Credits API (`npm run migrate`, `npm run serve:api`) on a fresh PostgreSQL database,
//    creates a workspace, grants credits and makes an API key.
// 4. n8n (on its own fresh PostgreSQL database): import:credentials, import:workflow
//    (examples/debit-per-order.workflow.json: two orders, idempotency key = order id, then Get Many
//    Transactions of the debits), then `n8n execute --id` twice.
// 5. `n8n start` with examples/balance-alerts.workflow.json published, its URL set as the workspace's
//    webhook endpoint (PUT /v1/workspaces/{ws}/webhook) and the secret the API showed in the credential:
//    the Credits Trigger gets Standard Webhooks requests: a signed event (accepted), one signed with
//    another workspace's secret and a stale one (401), an event about another workspace (403), and after
//    POST …/webhook/rotate one signed with the new and the previous secret (accepted).
// 6. Checks that the ledger charged each order exactly once, and prints the timings.
//
// Environment: TEST_DATABASE_URL (admin URL of the PostgreSQL server, default
// postgres://postgres@127.0.0.1:5432/postgres), N8N_E2E_DIR, N8N_E2E_NODE_VERSION, N8N_E2E_N8N_VERSION,
// N8N_E2E_FRESH=1, N8N_E2E_KEEP=1 (keep databases and the run folder).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { Webhook } from 'standardwebhooks';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(PKG, '..', '..');
const E2E_DIR = process.env.N8N_E2E_DIR ?? join(ROOT, '.data', 'n8n-e2e');
const NODE_VERSION = process.env.N8N_E2E_NODE_VERSION ?? '24.21.0';
const N8N_VERSION = process.env.N8N_E2E_N8N_VERSION ?? '2.41.1';
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// linkedom 0.18.15 (pulled in by n8n) depends on `cssomnom`, which the registry here does not serve;
// 0.18.14 is the same library without it.
const N8N_OVERRIDES = { linkedom: '0.18.14' };

const t0 = Date.now();
const timings = [];
let phaseStart = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
function log(message) {
  console.log(`[e2e:n8n ${seconds(Date.now() - t0)}] ${message}`);
}
function phase(name) {
  const now = Date.now();
  if (timings.length > 0) timings[timings.length - 1].ms = now - phaseStart;
  timings.push({ name, ms: 0 });
  phaseStart = now;
  log(`— ${name}`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    stdio: options.capture ? 'pipe' : 'inherit',
    encoding: 'utf8',
    ...options,
  });
  if (result.status !== 0) {
    if (options.capture) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result.stdout ?? '';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const cleanups = [];
async function cleanup() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}

async function main() {
  const keep = process.env.N8N_E2E_KEEP === '1';
  const fresh = process.env.N8N_E2E_FRESH === '1';
  mkdirSync(E2E_DIR, { recursive: true });

  // ---- 1. Node 24 and n8n --------------------------------------------------------------------
  phase('install Node 24 (npm package)');
  const nodePackage = `node-linux-${arch() === 'arm64' ? 'arm64' : 'x64'}`;
  const nodeDir = join(E2E_DIR, 'node');
  const node24 = join(nodeDir, 'node_modules', nodePackage, 'bin', 'node');
  const haveNode =
    !fresh &&
    existsSync(node24) &&
    spawnSync(node24, ['-v'], { encoding: 'utf8' }).stdout.trim() === `v${NODE_VERSION}`;
  if (haveNode) {
    log(`Node ${NODE_VERSION} already in ${nodeDir}`);
  } else {
    rmSync(nodeDir, { recursive: true, force: true });
    mkdirSync(nodeDir, { recursive: true });
    writeFileSync(join(nodeDir, 'package.json'), JSON.stringify({ name: 'n8n-e2e-node', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', `${nodePackage}@${NODE_VERSION}`], { cwd: nodeDir });
  }
  const env24 = { ...process.env, PATH: `${dirname(node24)}:${process.env.PATH}` };

  phase(`install n8n ${N8N_VERSION}`);
  const n8nDir = join(E2E_DIR, 'n8n');
  const n8nPackageJson = join(n8nDir, 'node_modules', 'n8n', 'package.json');
  const haveN8n =
    !fresh &&
    existsSync(n8nPackageJson) &&
    JSON.parse(readFileSync(n8nPackageJson, 'utf8')).version === N8N_VERSION;
  if (haveN8n) {
    log(`n8n ${N8N_VERSION} already in ${n8nDir}`);
  } else {
    rmSync(n8nDir, { recursive: true, force: true });
    mkdirSync(n8nDir, { recursive: true });
    writeFileSync(
      join(n8nDir, 'package.json'),
      JSON.stringify({ name: 'n8n-e2e', private: true, overrides: N8N_OVERRIDES }, null, 2),
    );
    // No install scripts: n8n runs here on PostgreSQL, so the sqlite3 native build is not needed.
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${N8N_VERSION}`], {
      cwd: n8nDir,
      env: env24,
    });
  }
  const n8nBin = join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');

  // ---- 2. Our package as a custom extension ---------------------------------------------------
  phase('build and stage n8n-nodes-credits');
  run('npm', ['run', 'build', '-w', 'integrations/n8n'], { cwd: ROOT, capture: true });
  // Staged inside the n8n folder so that `require('n8n-workflow')` resolves to n8n's own copy (the
  // peer dependency), as in a real installation.
  const customDir = join(n8nDir, 'custom');
  rmSync(customDir, { recursive: true, force: true });
  const staged = join(customDir, 'n8n-nodes-credits');
  mkdirSync(staged, { recursive: true });
  cpSync(join(PKG, 'package.json'), join(staged, 'package.json'));
  cpSync(join(PKG, 'dist'), join(staged, 'dist'), { recursive: true });

  // ---- 3. Credits API on a fresh database -----------------------------------------------------
  phase('Credits API: database, migrations, serve:api, seed');
  const suffix = randomBytes(4).toString('hex');
  const creditsDb = `credits_n8n_e2e_${suffix}`;
  const n8nDb = `n8n_e2e_${suffix}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  cleanups.push(() => admin.end());
  await admin.unsafe(`CREATE DATABASE ${creditsDb}`);
  await admin.unsafe(`CREATE DATABASE ${n8nDb}`);
  if (!keep) {
    cleanups.push(() => admin.unsafe(`DROP DATABASE IF EXISTS ${creditsDb} WITH (FORCE)`));
    cleanups.push(() => admin.unsafe(`DROP DATABASE IF EXISTS ${n8nDb} WITH (FORCE)`));
  }

  const apiPort = await freePort();
  const operatorKey = `op_${randomBytes(16).toString('hex')}`;
  const apiEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl(creditsDb),
    PORT: String(apiPort),
    OPERATOR_API_KEY: operatorKey,
  };
  run('npm', ['run', 'migrate'], { cwd: ROOT, env: apiEnv, capture: true });
  const runDir = join(E2E_DIR, `run-${suffix}`);
  mkdirSync(runDir, { recursive: true });
  if (!keep) cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
  const apiLog = join(runDir, 'api.log');
  const api = spawn('npm', ['run', 'serve:api'], {
    cwd: ROOT,
    env: apiEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let apiOutput = '';
  api.stdout.on('data', (d) => (apiOutput += d));
  api.stderr.on('data', (d) => (apiOutput += d));
  cleanups.push(async () => {
    writeFileSync(apiLog, apiOutput);
    try {
      process.kill(-api.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${apiUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (api.exitCode !== null || Date.now() > deadline) throw new Error(`API did not start:\n${apiOutput}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  async function operator(method, path, body) {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  const workspaceId = `n8n-e2e-${suffix}`;
  await operator('POST', '/v1/workspaces', {
    id: workspaceId,
    name: 'n8n e2e',
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date().toISOString(),
  });
  await operator('POST', `/v1/workspaces/${workspaceId}/grants`, {
    type: 'purchased',
    amount: 1000,
    reason: 'n8n e2e',
    idempotencyKey: `e2e-grant-${suffix}`,
  });
  const { key: apiKey } = await operator('POST', `/v1/workspaces/${workspaceId}/api-keys`, { name: 'n8n' });
  const before = (await operator('GET', `/v1/workspaces/${workspaceId}/balance`)).total;
  log(`API ${apiUrl}, workspace ${workspaceId}, balance ${before}`);

  // ---- 4. n8n: import and execute twice --------------------------------------------------------
  phase('n8n import:credentials + import:workflow');
  const pg = new URL(ADMIN_URL);
  const n8nEnv = {
    ...env24,
    N8N_USER_FOLDER: join(runDir, 'home'),
    N8N_ENCRYPTION_KEY: `e2e-${suffix}-encryption-key`,
    N8N_CUSTOM_EXTENSIONS: customDir,
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: pg.hostname,
    DB_POSTGRESDB_PORT: pg.port || '5432',
    DB_POSTGRESDB_USER: decodeURIComponent(pg.username || 'postgres'),
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(pg.password),
    DB_POSTGRESDB_DATABASE: n8nDb,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    // `n8n execute` prints its result through the logger at level info; JSON log lines keep it parsable.
    N8N_LOG_LEVEL: 'info',
    N8N_LOG_FORMAT: 'json',
  };
  // Output goes to a file: n8n calls process.exit() right after printing, and writes to a pipe are
  // asynchronous in Node, so a large JSON result on a pipe can be lost.
  let calls = 0;
  const n8n = (args) => {
    const outFile = join(runDir, `n8n-${++calls}-${args[0].replace(/[^a-z]/gi, '')}.log`);
    const fd = openSync(outFile, 'w');
    const result = spawnSync(node24, [n8nBin, ...args], {
      cwd: runDir,
      env: n8nEnv,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const out = readFileSync(outFile, 'utf8');
    if (result.status !== 0) {
      process.stderr.write(out);
      throw new Error(`n8n ${args.join(' ')} exited with ${result.status ?? result.signal}`);
    }
    return out;
  };

  // The workspace's webhook endpoint points at the trigger's URL; its secret (shown once) goes
  // into the credential, as an operator would hand it to the workspace.
  const alertsFile = join(PKG, 'examples', 'balance-alerts.workflow.json');
  const alerts = JSON.parse(readFileSync(alertsFile, 'utf8'));
  const n8nPort = await freePort();
  const hookUrl = `http://127.0.0.1:${n8nPort}/webhook/${alerts.nodes[0].webhookId}/credits`;
  const endpoint = await operator('PUT', `/v1/workspaces/${workspaceId}/webhook`, { url: hookUrl });
  const webhookSecret = endpoint.secret;
  const otherWorkspace = `${workspaceId}-other`;
  await operator('POST', '/v1/workspaces', {
    id: otherWorkspace,
    name: 'n8n e2e (another tenant)',
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date().toISOString(),
  });
  const otherSecret = (
    await operator('PUT', `/v1/workspaces/${otherWorkspace}/webhook`, {
      url: 'https://elsewhere.example.org/hook',
    })
  ).secret;
  const credentialFile = join(runDir, 'credentials.json');
  writeFileSync(
    credentialFile,
    JSON.stringify([
      {
        id: 'CreditsApiCred01',
        name: 'Credits API',
        type: 'creditsApi',
        data: { baseUrl: apiUrl, apiKey, workspaceId, webhookSecret },
      },
    ]),
  );
  const workflowFile = join(PKG, 'examples', 'debit-per-order.workflow.json');
  const workflow = JSON.parse(readFileSync(workflowFile, 'utf8'));
  n8n(['import:credentials', `--input=${credentialFile}`]);
  n8n(['import:workflow', `--input=${workflowFile}`]);

  const results = [];
  for (const attempt of [1, 2]) {
    phase(`n8n execute --id ${workflow.id} (run ${attempt})`);
    const out = n8n(['execute', `--id=${workflow.id}`, '--rawOutput']);
    results.push(parseExecution(out));
  }

  // ---- 5. Credits Trigger: an active workflow behind `n8n start`, fed signed requests -------------
  phase('n8n start + Credits Trigger webhooks');
  n8n(['import:workflow', `--input=${alertsFile}`]);
  n8n(['publish:workflow', `--id=${alerts.id}`]);
  const n8nLog = join(runDir, 'n8n-start.log');
  const server = spawn(node24, [n8nBin, 'start'], {
    cwd: runDir,
    env: { ...n8nEnv, N8N_PORT: String(n8nPort), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_LOG_FORMAT: 'text' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverOutput = '';
  server.stdout.on('data', (d) => (serverOutput += d));
  server.stderr.on('data', (d) => (serverOutput += d));
  cleanups.push(async () => {
    writeFileSync(n8nLog, serverOutput);
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1000));
  });
  const n8nDeadline = Date.now() + 120_000;
  for (;;) {
    try {
      // Registered once the active workflow is loaded (until then n8n answers 404); an unsigned
      // request is then refused by our node with 401.
      const res = await fetch(hookUrl, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      if (res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > n8nDeadline) {
      throw new Error(`n8n start did not serve the webhook:\n${serverOutput.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`n8n serving ${hookUrl}`);
  // Signed as the Credits notifier signs (the standardwebhooks library; several secrets during a rotation).
  async function deliver(event, { secrets = [webhookSecret], age = 0 } = {}) {
    const body = JSON.stringify(event);
    const at = new Date(Date.now() - age * 1000);
    const res = await fetch(hookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': secrets.map((s) => new Webhook(s).sign(event.id, at, body)).join(' '),
      },
      body,
    });
    return { status: res.status, body: await res.text() };
  }
  const alertEvent = (type) => ({
    id: `evt_${randomBytes(6).toString('hex')}`,
    type,
    workspaceId,
    occurredAt: new Date().toISOString(),
    data: { level: 'low', threshold: 100, balance: 87 },
  });
  const hookResults = {
    signed: await deliver(alertEvent('alert.low')),
    badSignature: await deliver(alertEvent('alert.low'), { secrets: [otherSecret] }),
    otherWorkspace: await deliver({ ...alertEvent('alert.low'), workspaceId: otherWorkspace }),
    stale: await deliver(alertEvent('alert.low'), { age: 600 }),
    notSelected: await deliver(alertEvent('alert.recovered')),
  };
  // Rotation: the API shows the new secret once; the notifier signs with the new and the previous one
  // during the grace period, so the trigger (its credential still on the previous one) loses nothing.
  const rotated = await operator('POST', `/v1/workspaces/${workspaceId}/webhook/rotate`, {
    graceSeconds: 3600,
  });
  hookResults.duringRotation = await deliver(alertEvent('alert.critical'), {
    secrets: [rotated.secret, webhookSecret],
  });
  hookResults.newSecretOnly = await deliver(alertEvent('alert.critical'), { secrets: [rotated.secret] });
  // Executions are stored asynchronously after the response.
  const n8nSql = postgres(databaseUrl(n8nDb), { max: 1, onnotice: () => {} });
  cleanups.push(() => n8nSql.end());
  let triggered = [];
  for (let i = 0; i < 60; i++) {
    triggered = await n8nSql`SELECT status FROM execution_entity WHERE "workflowId" = ${alerts.id}`;
    if (triggered.length >= 2 && triggered.every((r) => !['new', 'running'].includes(r.status))) break;
    await new Promise((r) => setTimeout(r, 250));
  }

  // ---- 6. Checks -----------------------------------------------------------------------------------
  phase('check the ledger and the trigger');

  const after = (await operator('GET', `/v1/workspaces/${workspaceId}/balance`)).total;
  const debits = (await operator('GET', `/v1/workspaces/${workspaceId}/transactions?kind=debit`)).items;
  const checks = [];
  const expect = (ok, what) => {
    checks.push({ ok, what });
    log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  };
  const debitOutputs = results.map((r) => r?.debit ?? []);
  expect(
    debitOutputs[0].length === 2,
    `run 1: the Credits node output 2 debits (got ${debitOutputs[0].length})`,
  );
  expect(
    debitOutputs[0].every((d) => d.replayed === false),
    'run 1: both debits were new (replayed=false)',
  );
  expect(
    debitOutputs[1].length === 2 && debitOutputs[1].every((d) => d.replayed === true),
    'run 2: both debits were replays of run 1 (replayed=true)',
  );
  expect(debits.length === 2, `ledger has exactly 2 debit entries (got ${debits.length})`);
  expect(
    JSON.stringify(debits.map((d) => d.idempotencyKey).sort()) ===
      JSON.stringify(['order-A-1001', 'order-A-1002']),
    `debit keys are the order ids (${debits.map((d) => d.idempotencyKey).join(', ')})`,
  );
  expect(
    debits.every((d) => d.source === 'n8n') &&
      debits
        .map((d) => d.actor)
        .sort()
        .join(',') === 'alice,bob',
    'debits record source n8n and the actor from each item',
  );
  expect(
    before - after === 360,
    `balance went from ${before} to ${after}: charged 360 once (120 + 240), not twice`,
  );
  for (const [index, result] of results.entries()) {
    const listed = result?.listed ?? [];
    expect(
      listed.length === 2 &&
        JSON.stringify(listed.map((t) => t.id).sort()) === JSON.stringify(debits.map((d) => d.id).sort()),
      `run ${index + 1}: Get Many Transactions lists the 2 debits of the ledger (got ${listed.length}: ${listed.map((t) => t.idempotencyKey).join(', ')})`,
    );
  }
  const h = hookResults;
  expect(
    h.signed.status === 200 && h.signed.body === '{"received":true}',
    `trigger: signed alert.low accepted (${h.signed.status} ${h.signed.body})`,
  );
  expect(
    h.badSignature.status === 401,
    `trigger: another workspace's secret refused (${h.badSignature.status} ${h.badSignature.body})`,
  );
  expect(
    h.otherWorkspace.status === 403,
    `trigger: an event about another workspace refused (${h.otherWorkspace.status} ${h.otherWorkspace.body})`,
  );
  expect(
    h.duringRotation.status === 200 && h.duringRotation.body === '{"received":true}',
    `trigger: during a rotation, signed with new + previous secret, accepted (${h.duringRotation.status} ${h.duringRotation.body})`,
  );
  expect(
    h.newSecretOnly.status === 401,
    `trigger: signed only with the new secret the credential lacks, refused (${h.newSecretOnly.status})`,
  );
  expect(
    h.stale.status === 401,
    `trigger: 10-minute-old request refused (${h.stale.status} ${h.stale.body})`,
  );
  expect(
    h.notSelected.status === 200,
    `trigger: unselected event type acknowledged, not run (${h.notSelected.status} ${h.notSelected.body})`,
  );
  expect(
    triggered.length === 2 && triggered.every((r) => r.status === 'success'),
    `trigger: exactly two workflow executions (signed, mid-rotation), successful (${JSON.stringify(triggered.map((r) => r.status))})`,
  );

  phase('done');
  timings[timings.length - 1].ms = 0;
  console.log('\nTimings:');
  for (const t of timings.filter((x) => x.name !== 'done'))
    console.log(`  ${t.name.padEnd(52)} ${seconds(t.ms)}`);
  console.log(`  ${'total'.padEnd(52)} ${seconds(Date.now() - t0)}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`\n${checks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** Finds our node's output items in the output of `n8n execute` (JSON log lines, one carries the run). */
function parseExecution(out) {
  let execution;
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const message = typeof entry.message === 'string' ? entry.message.trim() : '';
    if (!message.startsWith('{')) continue;
    try {
      const candidate = JSON.parse(message);
      if (candidate?.data?.resultData) execution = candidate;
    } catch {
      // another message
    }
  }
  if (!execution) throw new Error(`n8n execute printed no execution result:\n${out.slice(0, 4000)}`);
  const { runData, error } = execution.data.resultData;
  if (error) throw new Error(`workflow failed: ${JSON.stringify(error).slice(0, 2000)}`);
  const debitRuns = runData?.['Debit credits'];
  if (!debitRuns) throw new Error('no run data for the node "Debit credits"');
  const main = debitRuns[0]?.data?.main ?? [];
  return {
    debit: (main[0] ?? []).map((i) => i.json),
    insufficient: (main[1] ?? []).map((i) => i.json),
    // Transaction → Get Many after the debits (runs once for all items).
    listed: (runData?.['Debits in the ledger']?.[0]?.data?.main?.[0] ?? []).map((i) => i.json),
  };
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`\n[e2e:n8n] FAILED: ${error.stack ?? error.message}`);
    await cleanup();
    process.exit(1);
  });
