/**
 * The dev server's own limit for the renewal's shape (bench/lifecycle.ts, baseline phase): a
 * workflow that sleeps on a timer until one common instant, runs one trivial local activity, then
 * sleeps on a timer again, as a subscription does after its renewal (it waits for the next cycle,
 * it does not complete). Nothing else: what it costs is Temporal's (server and SDK), not the
 * ledger's.
 */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';

export interface TimerBenchActivities {
  timerBenchTick(id: string): Promise<void>;
}

const { timerBenchTick } = proxyLocalActivities<TimerBenchActivities>({ startToCloseTimeout: '1 minute' });

export async function timerBenchWorkflow(id: string, fireAtMs: number, thenSleepMs: number): Promise<void> {
  const wait = fireAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  await timerBenchTick(id);
  await sleep(thenSleepMs);
}
