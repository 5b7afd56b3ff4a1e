import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, vi } from 'vitest';
import { DEV_SERVER_DYNAMIC_CONFIG, freePort, startDevServer } from '../../runtime/temporal.js';
import { stillRunning } from '../start/support.js';
import { eventually } from '../support/temporal.js';

describe('the dev server the project starts (runtime/temporal.ts startDevServer)', () => {
  it('runs with the project’s dynamic config, takes overrides on top, and serves its own metrics', async () => {
    const metricsPort = await freePort();
    const server = await startDevServer({
      executable: inject('temporalCli'),
      headless: true,
      metricsPort,
      dynamicConfig: { 'history.timerProcessorSchedulerWorkerCount': 8 },
      log: () => {},
    });
    try {
      const args = spawnSync('ps', ['-p', String(server.process.pid), '-o', 'args='], {
        encoding: 'utf8',
      }).stdout;
      expect(Object.keys(DEV_SERVER_DYNAMIC_CONFIG).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries({
        ...DEV_SERVER_DYNAMIC_CONFIG,
        'history.timerProcessorSchedulerWorkerCount': 8,
      }))
        expect(args).toContain(`--dynamic-config-value ${key}=${JSON.stringify(value)}`);
      expect(args).not.toContain('history.timerProcessorSchedulerWorkerCount=16');
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^persistence_requests\{/m);
    } finally {
      await server.stop();
    }
  });

  it('fails on a port another server holds instead of taking that server for its own', async () => {
    const port = await freePort();
    const first = await startDevServer({
      executable: inject('temporalCli'),
      port,
      headless: true,
      log: () => {},
    });
    try {
      await expect(
        startDevServer({ executable: inject('temporalCli'), port, headless: true, log: () => {} }),
      ).rejects.toThrow(/exited with 1[\s\S]*address already in use/);
    } finally {
      await first.stop();
    }
  });

  /**
   * Where the dev server cannot die with its parent (no setpriv: not Linux), one left running on
   * the data folder by a run killed outright is stopped, through its pid file, before a new one
   * opens the same database file.
   */
  it('stops a dev server an earlier run left on its data folder before opening the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credits-orphan-'));
    const dbFile = join(dir, 'temporal.db');
    const port = await freePort();
    const orphan = spawn(
      inject('temporalCli'),
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--db-filename',
        dbFile,
      ],
      { stdio: 'ignore', detached: true },
    );
    const said = vi.spyOn(console, 'log');
    try {
      writeFileSync(join(dir, 'dev-server.pid'), String(orphan.pid));
      await eventually(() => listening(port), 60_000, 'the earlier dev server listening');
      const server = await startDevServer({
        dataDir: dir,
        port: await freePort(),
        headless: true,
        executable: inject('temporalCli'),
        log: () => {},
      });
      await server.stop();
      expect(said.mock.calls.flat().join('\n')).toContain(
        `Stopping the Temporal dev server (pid ${orphan.pid}) left running on ${dbFile}`,
      );
      expect(stillRunning([orphan.pid!])).toEqual([]);
    } finally {
      said.mockRestore();
      if (stillRunning([orphan.pid!]).length) orphan.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    const done = (open: boolean) => {
      socket.destroy();
      ok(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
