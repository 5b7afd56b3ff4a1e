import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { DEV_SERVER_DYNAMIC_CONFIG, freePort, startDevServer } from '../../runtime/temporal.js';

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
});
