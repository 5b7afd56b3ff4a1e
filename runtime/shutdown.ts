import type { Server as HttpServer } from 'node:http';

/**
 * How every long-running command stops: on the first SIGINT, SIGTERM or SIGHUP (its terminal was
 * closed; Node's default would end the process at once, orphaning the embedded PostgreSQL) the registered steps run
 * one after another, last registered first (so the HTTP server stops accepting before the worker
 * drains, and the databases go last), then the process exits 0. If that takes longer than the
 * deadline (10 s), or a second signal arrives (more than a second after the first), the remaining
 * steps' `force` hooks run and the process exits 1; the dev server and the embedded PostgreSQL
 * end with it (their exit hooks), so nothing is orphaned.
 */

export interface StopStep {
  name: string;
  stop: () => Promise<unknown> | unknown;
  /** Ends the resource at once (kill a child process); runs on a forced exit for steps not yet done. */
  force?: () => void;
}

export interface Shutdown {
  /** Registers a step; steps stop in reverse order of registration. */
  add(name: string, stop: StopStep['stop'], force?: StopStep['force']): void;
  /** Starts the graceful shutdown (as the first signal does); resolves never when it exits. */
  begin(reason: string): Promise<void>;
  /** Removes the signal handlers (tests). */
  dispose(): void;
}

export interface ShutdownOptions {
  deadlineMs?: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

const DUPLICATE_WINDOW_MS = 1000;

export function installShutdown(options: ShutdownOptions = {}): Shutdown {
  const deadlineMs = options.deadlineMs ?? 10_000;
  const log = options.log ?? ((line: string) => console.error(line));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const steps: (StopStep & { done?: boolean })[] = [];
  let stopping: Promise<void> | null = null;
  let current = '';

  const force = (why: string) => {
    log(`${why}: forcing the exit${current ? ` (was stopping ${current})` : ''}`);
    for (const step of [...steps].reverse()) {
      if (step.done || !step.force) continue;
      try {
        step.force();
      } catch (err) {
        log(`${step.name}: ${String(err)}`);
      }
    }
    exit(1);
  };

  const begin = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log(`${reason}: shutting down (send it again to force)…`);
      const timer = setTimeout(() => force(`still stopping after ${deadlineMs / 1000} s`), deadlineMs);
      for (const step of [...steps].reverse()) {
        current = step.name;
        try {
          await step.stop();
        } catch (err) {
          log(`${step.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
        step.done = true;
      }
      current = '';
      clearTimeout(timer);
      exit(0);
    })();
    return stopping;
  };

  // Ctrl-C under `npm start` arrives twice at once: from the terminal (to the whole process group)
  // and forwarded by npm. Only a signal a moment after the first one forces the exit.
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // The terminal is gone, and with it whatever is written to it: a write failing (EIO) would
    // otherwise end the process before the steps have run.
    if (signal === 'SIGHUP')
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    if (!stopping) {
      firstSignalAt = Date.now();
      void begin(signal);
    } else if (Date.now() - firstSignalAt > DUPLICATE_WINDOW_MS) force(signal);
  };
  for (const s of signals) process.on(s, onSignal);

  return {
    add(name, stop, forceStep) {
      steps.push({ name, stop, force: forceStep });
    },
    begin,
    dispose() {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}

/**
 * Stops an HTTP server gracefully: no new connections, requests in flight get their answer, each
 * keep-alive connection closes as soon as it is idle; after `graceMs` the rest is cut.
 */
export function closeHttpServer(server: HttpServer, graceMs = 5000): Promise<void> {
  return new Promise((ok, fail) => {
    if (!server.listening) return ok();
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((err) => {
      clearInterval(idle);
      clearTimeout(cut);
      if (err) fail(err);
      else ok();
    });
    server.closeIdleConnections();
  });
}
