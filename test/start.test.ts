import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../runtime/temporal.js';

/** `npm start` as a newcomer runs it: no configuration, embedded PostgreSQL, demo data, the API. */
describe('npm start on embedded defaults (PostgreSQL, Temporal dev server, worker, API)', () => {
  let child: ChildProcess | undefined;
  let dataDir = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => child!.once('exit', r));
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts PostgreSQL, seeds the demo workspace and serves its balance', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credits-start-'));
    const port = await freePort();
    const pgPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      CREDITS_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pgPort),
    };
    for (const k of [
      'DATABASE_URL',
      'OPERATOR_API_KEY',
      'TEMPORAL_ADDRESS',
      'SLACK_BOT_TOKEN',
      'DISCORD_TOKEN',
    ])
      delete env[k];
    child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'start'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 90_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up in 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toMatch(/Temporal\s+127\.0\.0\.1:\d+ .*worker on task queue credits/);
    const key = (await readFile(join(dataDir, 'demo-api-key'), 'utf8')).trim();
    expect(output).toContain(key);
    const res = await fetch(`http://127.0.0.1:${port}/v1/workspaces/demo/balance`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    const balance = (await res.json()) as {
      total: number;
      renewal: { amount: number } | null;
      lifetimeUsed: number;
    };
    expect(balance.total).toBeGreaterThan(0);
    expect(balance.renewal?.amount).toBe(2200);
    expect(balance.lifetimeUsed).toBeGreaterThan(0);

    child.kill('SIGINT');
    const code = await new Promise((r) => child!.once('exit', r));
    expect(code).toBe(0);
  }, 120_000);
});
