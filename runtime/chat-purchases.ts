import type { Purchases } from '../application/purchases.js';
import { connectClient } from '../workflows/client.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { configuredTemporal, purchasesFor } from './roles/temporal-client.js';
import { recordedTemporal } from './temporal-state.js';

/**
 * The purchase flows for `credits chat`: on TEMPORAL_ADDRESS, else on the dev server that a running
 * `npm start` recorded in the data folder (runtime/temporal-state.ts), so a second terminal can
 * request and approve purchases. None when neither is there (the console then says so).
 */
export async function chatPurchases(
  ctx: AppContext,
  config: Config,
): Promise<{ purchases?: Purchases; close(): Promise<void> }> {
  const target = configuredTemporal(config) ?? recordedTemporal(config.CREDITS_DATA_DIR);
  if (!target) return { close: async () => {} };
  try {
    const client = await connectClient(target);
    return { purchases: purchasesFor(ctx, config, client), close: () => client.connection.close() };
  } catch (error) {
    console.error(
      `Temporal at ${target.address} did not answer (${(error as Error).message}); purchases are off.`,
    );
    return { close: async () => {} };
  }
}
