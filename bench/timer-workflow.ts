/**
 * The dev server's own limit for the renewal's shape (bench/lifecycle.ts, baseline phase): a
 * workflow that sleeps on a timer until one common instant, runs one trivial local activity and
 * completes. Nothing else: what it costs is Temporal's (server and SDK), not the ledger's.
 */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';

export interface TimerBenchActivities {
  timerBenchTick(id: string): Promise<void>;
}

const { timerBenchTick } = proxyLocalActivities<TimerBenchActivities>({ startToCloseTimeout: '1 minute' });

export async function timerBenchWorkflow(id: string, fireAtMs: number): Promise<void> {
  const wait = fireAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  await timerBenchTick(id);
}
