import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../runtime/temporal.js';
import { FakeSlackApi } from '../bots/fakes/slack.js';
import { Service, stillRunning, waitGone } from '../start/support.js';

/** `serve bots` and the worker process stop on SIGTERM and SIGINT: exit 0 within 10 s, nothing left running. */
describe('serve bots and the worker stop cleanly on a signal', () => {
  const slack = new FakeSlackApi();
  let dataDir = '';
  let service: Service | undefined;
  beforeAll(async () => {
    await slack.start();
    dataDir = await mkdtemp(join(tmpdir(), 'credits-worker-'));
  });
  afterEach(async () => {
    await service?.destroy();
    service = undefined;
  });
  afterAll(async () => {
    await slack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function stopsOn(signal: NodeJS.Signals) {
    const children = service!.descendants();
    const sent = Date.now();
    process.kill(service!.pid, signal);
    const { code } = await service!.exit();
    const tookMs = Date.now() - sent;
    await waitGone(children, Math.max(0, 10_000 - tookMs));
    expect({ code, within10s: tookMs < 10_000 }).toEqual({ code: 0, within10s: true });
    expect(service!.output).toContain(`${signal}: shutting down`);
    return children;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serve bots (Slack over HTTP events) on ${signal}`, async () => {
      const port = await freePort();
      service = new Service(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', 'bots'], {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: '',
        SLACK_APP_TOKEN: '',
        TEMPORAL_ADDRESS: '',
        PORT: String(port),
      });
      await service.waitFor('Bots: Slack', 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await stopsOn(signal);
    }, 90_000);

    it(`the worker (serve worker, with its own dev server) on ${signal}`, async () => {
      service = new Service(process.execPath, ['bin/credits.js', 'serve', 'worker'], {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        CREDITS_DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: '',
        TEMPORAL_TASK_QUEUE: `shutdown-${signal}`,
        SLACK_BOT_TOKEN: '',
        DISCORD_TOKEN: '',
      });
      // Starting a dev server and bundling the workflows took over 90 s on a loaded 2-core machine.
      await service.waitFor('[worker] task queue', 180_000);
      const devServer = stillRunning(service.descendants()).find((p) => p.args.includes('server start-dev'));
      expect(devServer).toBeTruthy();
      await stopsOn(signal);
    }, 240_000);
  }
});
