/**
 * CPU per HTTP request of `serve api`: starts the API (as bench/ledger.ts does, optionally under
 * `node --cpu-prof`), sends a fixed number of POST /v1/workspaces/{ws}/debits over kept-alive
 * connections spread over many workspaces, with scoped workspace keys and with the operator key,
 * and divides the API process's CPU time (/proc/<pid>/stat) by the requests served. With a
 * profile, prints its top items for each phase (bench/profile-summary.ts) and writes
 * bench/results/http-profile.json.
 *
 *   npm run bench:http-profile     (PROFILE_REQUESTS=20000 PROFILE_CLIENTS=16 PROFILE_WORKSPACES=1000
 *                                   PROFILE_KEYS=scoped,operator PROFILE_CPU=1 PROFILE_DIR=/tmp/credits-prof)
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../runtime/context.js';
import { postDebit, startApi } from './ledger-http.js';
import { type CpuProfile, formatSummary, type Summary, summarise } from './profile-summary.js';
import { dropDatabase, freshDatabase, percentile, run, seedLedger } from './support.js';

const ADMIN = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 20_000);
const WARMUP = Number(process.env.PROFILE_WARMUP ?? 3000);
const CLIENTS = Number(process.env.PROFILE_CLIENTS ?? 16);
const WORKSPACES = Number(process.env.PROFILE_WORKSPACES ?? 1000);
const KEYS = (process.env.PROFILE_KEYS ?? 'scoped,operator').split(',') as ('scoped' | 'operator')[];
const PROFILE = process.env.PROFILE_CPU !== '0';
const DIR = process.env.PROFILE_DIR ?? '/tmp/credits-prof';
const OPERATOR_KEY = 'bench-operator-key-0123456789';
const DB = 'credits_http_profile';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** User and system CPU of a process so far, in ms. */
async function cpuMs(pid: number, tick: number): Promise<{ user: number; system: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1000) / tick, system: (Number(fields[12]) * 1000) / tick };
}

interface Phase {
  keys: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  apiCpuMs: number;
  apiCpuUsPerRequest: number;
  /** Of which in the kernel (socket writes on loopback run the TCP stack in the sender). */
  apiSystemUsPerRequest: number;
  window: [number, number];
  profile?: Summary;
}

async function main() {
  const log = (s: string) => console.log(s);
  log(`Seeding ${WORKSPACES} workspaces…`);
  const url = await freshDatabase(ADMIN, DB, true);
  const ctx = createContext({ databaseUrl: url, poolMax: 8 });
  const workspaces = await seedLedger(ctx.sql, {
    workspaces: WORKSPACES,
    entries: WORKSPACES * 10,
    prefix: 'p',
  });
  const operator = { kind: 'operator' as const, keyId: null, name: 'bench' };
  const scoped: string[] = [];
  for (let i = 0; i < workspaces.length; i += 25) {
    const made = await Promise.all(
      workspaces
        .slice(i, i + 25)
        .map((ws) => ctx.apiKeys.create(operator, ws, { name: 'bench' }, 'cli').then((k) => k.key)),
    );
    scoped.push(...made);
  }
  await ctx.close();

  if (PROFILE) {
    await rm(DIR, { recursive: true, force: true });
    await mkdir(DIR, { recursive: true });
  }
  const tick = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  const port = 30000 + ((process.pid + 7) % 20000);
  const api = await startApi(url, port, OPERATOR_KEY, PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${DIR}`] : []);
  const exited = new Promise<number | null>((resolve) => api.once('exit', (code) => resolve(code)));
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS, maxFreeSockets: CLIENTS });
  let seq = 0;
  const post = (w: number, key: string) =>
    postDebit(agent, port, key, workspaces[w]!, `hp-${process.pid}-${++seq}`);
  /** Exactly `n` requests from `CLIENTS` loops; workspace i of the sequence is a fixed spread. */
  const drive = async (n: number, mode: 'scoped' | 'operator') => {
    let next = 0;
    let errors = 0;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < n) {
          const i = next++;
          const w = (i * 7919) % workspaces.length;
          const t0 = performance.now();
          try {
            await post(w, mode === 'scoped' ? scoped[w]! : OPERATOR_KEY);
            latencies.push(performance.now() - t0);
          } catch (err) {
            if (++errors === 1) console.error('first error:', err);
          }
        }
      }),
    );
    return { errors, latencies: latencies.sort((a, b) => a - b) };
  };

  const phases: Phase[] = [];
  try {
    for (const mode of KEYS) {
      await drive(WARMUP, mode);
      const cpu0 = await cpuMs(api.pid!, tick);
      const t0 = performance.now();
      const w0 = nowUs();
      const { errors, latencies } = await drive(REQUESTS, mode);
      const w1 = nowUs();
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = await cpuMs(api.pid!, tick);
      const apiCpuMs = cpu1.user + cpu1.system - cpu0.user - cpu0.system;
      const phase: Phase = {
        keys: mode,
        requests: REQUESTS,
        errors,
        seconds,
        perSecond: latencies.length / seconds,
        p50ms: percentile(latencies, 50),
        p99ms: percentile(latencies, 99),
        apiCpuMs,
        apiCpuUsPerRequest: (apiCpuMs * 1000) / REQUESTS,
        apiSystemUsPerRequest: ((cpu1.system - cpu0.system) * 1000) / REQUESTS,
        window: [w0, w1],
      };
      phases.push(phase);
      log(
        `${mode.padEnd(8)} ${REQUESTS} requests at ${CLIENTS} clients: ${phase.perSecond.toFixed(0)}/s, p50 ${phase.p50ms.toFixed(2)} ms, p99 ${phase.p99ms.toFixed(2)} ms, API CPU ${phase.apiCpuUsPerRequest.toFixed(0)} µs/request (system ${phase.apiSystemUsPerRequest.toFixed(0)})${errors ? `, ${errors} errors` : ''}`,
      );
    }
  } finally {
    agent.destroy();
    api.kill('SIGTERM');
  }
  const code = await exited;
  if (code !== 0) log(`API exited with ${code}`);
  if (PROFILE) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader has its own).
    const file = (await readdir(DIR)).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (!file) throw new Error(`no .cpuprofile in ${DIR}: the API did not shut down cleanly`);
    const profile = JSON.parse(await readFile(join(DIR, file), 'utf8')) as CpuProfile;
    for (const phase of phases) {
      phase.profile = summarise(profile, { top: 20, window: phase.window });
      log(`\n== ${phase.keys} keys (${join(DIR, file)})`);
      log(formatSummary(phase.profile, phase.requests));
    }
  }
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/http-profile.json',
    `${JSON.stringify({ command: 'npm run bench:http-profile', at: new Date().toISOString(), loadAverage: loadavg(), clients: CLIENTS, workspaces: WORKSPACES, phases }, null, 2)}\n`,
  );
  log('Wrote bench/results/http-profile.json');
  if (!process.env.BENCH_KEEP) await dropDatabase(ADMIN, DB);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
