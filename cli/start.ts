import { Runtime } from '@temporalio/worker';
import type { Config } from '../runtime/config.js';
import { runRole, type ServiceRole } from '../runtime/roles.js';

const log = (line: string) => console.log(line);

/** Stops everything on Ctrl-C / SIGTERM, last started first. */
function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handle = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: shutting down…`);
    await stop().catch((e: unknown) => console.error(e));
    process.exit(0);
  };
  process.on('SIGINT', () => void handle('SIGINT'));
  process.on('SIGTERM', () => void handle('SIGTERM'));
}

/**
 * `credits start` (`npm start`) and `credits serve api|bots|worker`: builds the role in the one
 * composition root (runtime/roles.ts), prints what runs, and stops it cleanly on a signal.
 */
export async function serve(role: ServiceRole, config: Config): Promise<number> {
  // Shutdown is ours (the stop stack stops the worker in order); the SDK must not act on signals itself.
  if (role === 'start' || role === 'worker') Runtime.install({ shutdownSignals: [] });
  const running = await runRole(role, config, { log, console: role === 'start' && process.stdin.isTTY });
  onShutdown(running.stop);
  for (const line of running.banner) log(line);
  return -1;
}
