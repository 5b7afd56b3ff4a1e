import type { TemporalTarget } from '../workflows/connection.js';
import type { Config } from './config.js';
import { findTemporalCli, resolveTemporal } from './temporal.js';

export interface LocalTemporal {
  target: TemporalTarget;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/**
 * The Temporal cluster of a process that runs the worker: TEMPORAL_ADDRESS, else the `temporal`
 * CLI's dev server (data in <data dir>/temporal, kept between runs), else the dev server the SDK
 * downloads (needs internet).
 */
export async function localTemporal(config: Config, log: (line: string) => void): Promise<LocalTemporal> {
  if (config.TEMPORAL_ADDRESS || findTemporalCli({ TEMPORAL_CLI: config.TEMPORAL_CLI, PATH: config.PATH })) {
    const { target, devServer } = await resolveTemporal(config, {
      dataDir: config.CREDITS_DATA_DIR,
      log: () => {},
    });
    return { target, uiUrl: devServer?.uiUrl ?? null, stop: async () => devServer?.stop() };
  }
  log('Temporal CLI not found (npm run setup:temporal builds it); letting the SDK download the dev server…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({ server: { namespace: config.TEMPORAL_NAMESPACE } });
  return {
    target: { address: env.address, namespace: config.TEMPORAL_NAMESPACE },
    uiUrl: null,
    stop: () => env.teardown(),
  };
}
