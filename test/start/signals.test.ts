import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../runtime/temporal.js';
import { Service, startEnv, stillRunning, waitGone } from './support.js';

/**
 * `npm start` stops on SIGTERM (a process manager signals the npm process) and on SIGINT (to the
 * npm process, and to the whole process group as Ctrl-C in a terminal does): exit 0 within 10 s,
 * and the embedded PostgreSQL, the Temporal dev server and every other child gone.
 */
describe('npm start stops cleanly on a signal', () => {
  let dataDir = '';
  let service: Service | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credits-signals-'));
  });
  afterEach(async () => {
    await service?.destroy();
    service = undefined;
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const cases: { name: string; signal: NodeJS.Signals; group: boolean }[] = [
    { name: 'SIGTERM to the npm process', signal: 'SIGTERM', group: false },
    { name: 'SIGINT to the npm process', signal: 'SIGINT', group: false },
    { name: 'SIGINT to the process group (Ctrl-C)', signal: 'SIGINT', group: true },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 0 within 10 s, no process left`, async () => {
      const env = startEnv({
        PORT: String(await freePort()),
        CREDITS_DATA_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
      });
      service = new Service('npm', ['start'], env);
      await service.waitFor('Press Ctrl-C to stop.');
      const children = service.descendants();
      const running = stillRunning(children).map((p) => p.args);
      expect(running.some((a) => a.includes('bin/credits.js start'))).toBe(true);
      expect(running.some((a) => /bin\/postgres -D/.test(a))).toBe(true);
      expect(running.some((a) => a.includes('server start-dev'))).toBe(true);

      const sent = Date.now();
      process.kill(c.group ? -service.pid : service.pid, c.signal);
      const { code } = await service.exit();
      const exitedAfter = Date.now() - sent;
      await waitGone(children, Math.max(0, 10_000 - (Date.now() - sent)));
      expect({ code, within10s: exitedAfter < 10_000 }).toEqual({ code: 0, within10s: true });
      expect(service.output).toContain(`${c.signal}: shutting down`);
    }, 180_000);
  }
});

/**
 * Closing the terminal: `npm start` runs in a new session on a pseudo-terminal (util-linux
 * `script`), with the chat console open on it; the terminal's other end is then closed (the
 * `script` process killed outright, as when a terminal window is closed), so the kernel hangs the
 * terminal up and sends SIGHUP to the session's leader and its foreground process group. The
 * service stops in order as on SIGTERM (the dev server's step ran: its pid file is gone), and no
 * process is left within 10 s: no PostgreSQL, no Temporal dev server.
 */
describe('npm start stops cleanly when its terminal is closed', () => {
  let dataDir = '';
  let terminal: Service | undefined;
  afterAll(async () => {
    await terminal?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('SIGHUP from the hung-up terminal: no process left within 10 s', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credits-sighup-'));
    const env = startEnv({
      PORT: String(await freePort()),
      CREDITS_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });
    terminal = new Service(
      'script',
      ['--quiet', '--flush', '--return', '--command', 'npm start', '/dev/null'],
      env,
    );
    await terminal.waitFor('credits> ');
    const children = terminal.descendants();
    const running = stillRunning(children).map((p) => p.args);
    expect(running.some((a) => a.includes('bin/credits.js start'))).toBe(true);
    expect(running.some((a) => /bin\/postgres -D/.test(a))).toBe(true);
    expect(running.some((a) => a.includes('server start-dev'))).toBe(true);
    expect(existsSync(join(dataDir, 'temporal', 'dev-server.pid'))).toBe(true);

    const closed = Date.now();
    process.kill(terminal.pid, 'SIGKILL');
    await terminal.exit();
    await waitGone(children, 10_000);
    expect(Date.now() - closed).toBeLessThan(10_000);
    expect(existsSync(join(dataDir, 'temporal', 'dev-server.pid'))).toBe(false);
  }, 180_000);
});
