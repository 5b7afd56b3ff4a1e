import { Runtime } from '@temporalio/worker';
import type { Config } from '../runtime/config.js';
import { runRole, type ServiceRole } from '../runtime/roles.js';
import { installShutdown } from '../runtime/shutdown.js';

const log = (line: string) => console.log(line);

/**
 * `credits start` (`npm start`) and `credits serve api|bots|worker`: builds the role in the one
 * composition root (runtime/roles.ts), prints what runs, and stops it cleanly on a signal
 * (first SIGINT/SIGTERM: in order within 10 s, exit 0; a second one forces the exit).
 */
export async function serve(role: ServiceRole, config: Config): Promise<number> {
  // Shutdown is ours (the stop stack stops the worker in order); the SDK must not act on signals itself.
  if (role === 'start' || role === 'worker') Runtime.install({ shutdownSignals: [] });
  // Installed first: a signal while starting exits at once (the dev server and the embedded
  // PostgreSQL end with the process: their exit hooks).
  const shutdown = installShutdown({ log });
  const running = await runRole(role, config, { log, console: role === 'start' && process.stdin.isTTY });
  shutdown.add(role, running.stop);
  for (const line of running.banner) log(line);
  return -1;
}
