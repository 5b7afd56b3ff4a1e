import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type { AlertOutbox } from '../../ledger/stores/alert-outbox.js';
import type { alertWorkflow } from './workflows.js';

export interface AlertDispatcherOptions {
  /** The ledger's alert outbox (`ledger.alertOutbox`). */
  outbox: AlertOutbox;
  client: Client;
  taskQueue: string;
  /** How often to look for undelivered events without being woken (default 1000 ms). */
  pollMs?: number;
  /** Events claimed per transaction (default 200). */
  batchSize?: number;
  /** Workflow starts in flight at once (default 32). */
  concurrency?: number;
  onError?: (err: unknown) => void;
}

/**
 * Moves alert events from the ledger's outbox (`alert_events`) to Temporal: claims undelivered
 * rows with FOR UPDATE SKIP LOCKED (any number of worker replicas share the work), starts one
 * `alertWorkflow` per event with id `alert-<event id>` (a duplicate start is refused by Temporal,
 * so a crash between the start and the mark never delivers twice), then marks the rows
 * dispatched in the same transaction. Polls every second and runs at once when woken.
 */
export class AlertDispatcher {
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  dispatched = 0;

  constructor(private readonly options: AlertDispatcherOptions) {
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 200;
    this.concurrency = options.concurrency ?? 32;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Runs a dispatch pass now (or right after the current one). Cheap to call often. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.wake(), this.pollMs);
        this.timer.unref?.();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped && (await this.dispatchOnce()) === this.batchSize) {
        // a full batch: there may be more
      }
    } catch (err) {
      (this.options.onError ?? ((e) => console.error('[alerts] dispatch failed; retrying', e)))(err);
    }
  }

  /** One transaction: claim a batch, start its workflows, mark it. Returns how many were dispatched. */
  async dispatchOnce(): Promise<number> {
    const { outbox, client, taskQueue } = this.options;
    const count = await outbox.dispatchPending(this.batchSize, async (events) => {
      let next = 0;
      const startOne = async () => {
        while (next < events.length) {
          const event = events[next++]!;
          try {
            await client.workflow.start<typeof alertWorkflow>('alertWorkflow', {
              workflowId: `alert-${event.id}`,
              taskQueue,
              args: [event],
              workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            });
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, events.length) }, startOne));
    });
    this.dispatched += count;
    return count;
  }
}
