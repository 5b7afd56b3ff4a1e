import type { TemporalTarget } from '../workflows/connection.js';
import type { Config } from './config.js';
import { resolveTemporal } from './temporal.js';
import { removeTemporalState, writeTemporalState } from './temporal-state.js';

export interface LocalTemporal {
  target: TemporalTarget;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/**
 * The Temporal cluster of a process that runs the worker: TEMPORAL_ADDRESS, else the `temporal`
 * CLI's dev server (data in <data dir>/temporal, kept between runs); the CLI is provisioned first
 * when missing (runtime/temporal-provision.ts: PATH, .tools/bin, the SDK's download, a Go build).
 */
export async function localTemporal(config: Config, _log: (line: string) => void): Promise<LocalTemporal> {
  const { target, devServer } = await resolveTemporal(config, {
    dataDir: config.CREDITS_DATA_DIR,
    log: () => {},
  });
  // A second terminal's `credits chat` finds this dev server through the data folder.
  if (devServer) writeTemporalState(config.CREDITS_DATA_DIR, target);
  return {
    target,
    uiUrl: devServer?.uiUrl ?? null,
    stop: async () => {
      if (devServer) removeTemporalState(config.CREDITS_DATA_DIR);
      await devServer?.stop();
    },
  };
}
