export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items one call carries. */
  maxBatch?: number;
  /** Most calls running at once; a request that finds a call free goes at once. */
  maxInFlight?: number;
  /** Whether a failed batch call is worth retrying item by item (not when the database is away). */
  retryOneByOne?: (error: unknown) => boolean;
}

/**
 * Group commit, whatever the items are about. A request that finds a call free runs at once
 * (an idle ledger adds no latency); requests that arrive while every call is busy wait and go
 * together in the next one, so they share one round trip and one commit. `run` answers one
 * outcome per item, in order: one item's refusal is its own.
 */
export class GroupCommit<I, R> {
  private readonly queue: Pending<I, R>[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly retryOneByOne: (error: unknown) => boolean;

  constructor(
    private readonly run: (items: I[]) => Promise<Settled<R>[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.retryOneByOne = options.retryOneByOne ?? (() => true);
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async runBatch(batch: Pending<I, R>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        settle(p, results[i]!);
      });
    } catch (error) {
      if (batch.length > 1 && this.retryOneByOne(error)) await this.oneByOne(batch);
      else for (const p of batch) p.reject(error);
    }
  }

  /**
   * A batch call that failed as a whole (one item the checks let through but the database
   * refused) is retried item by item, so only that item fails and the others go through.
   */
  private async oneByOne(batch: Pending<I, R>[]): Promise<void> {
    for (const p of batch) {
      try {
        const [r] = await this.run([p.item]);
        settle(p, r!);
      } catch (error) {
        p.reject(error);
      }
    }
  }
}

function settle<I, R>(p: Pending<I, R>, r: Settled<R>): void {
  if (r.ok) p.resolve(r.value);
  else p.reject(r.error);
}
