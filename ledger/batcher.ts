export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<I> {
  /** Most items one call carries. */
  maxBatch?: number;
  /** Most calls running at once; a request that finds a call free goes at once. */
  maxInFlight?: number;
  /** Whether a failed batch call is worth retrying item by item (not when the database is away). */
  retryOneByOne?: (error: unknown) => boolean;
  /**
   * Items of one key (a workspace) never run in two calls at once: they wait for the running
   * call, so they keep their order of arrival and concurrent calls do not queue on one lock.
   */
  keyOf?: (item: I) => string;
}

/**
 * Group commit, whatever the items are about. A request that finds nothing running goes at once
 * (an idle ledger adds no latency); one that arrives while a call runs waits for the rest of the
 * event loop's turn, so requests read together (several sockets in one poll) go together, and
 * requests that arrive while every call is busy go together in the next ones; they share one
 * round trip and one commit. `run` answers one outcome per item, in order: one item's refusal
 * is its own.
 */
export class GroupCommit<I, R> {
  private queue: Pending<I, R>[] = [];
  private inFlight = 0;
  /** A call has just finished and the next batch waits for its callers (see refill). */
  private refilling = false;
  /** Keys with items in a running call, and how many of those items. */
  private readonly busy = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly retryOneByOne: (error: unknown) => boolean;
  private readonly keyOf: ((item: I) => string) | undefined;

  constructor(
    private readonly run: (items: I[]) => Promise<Settled<R>[]>,
    options: GroupCommitOptions<I> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.retryOneByOne = options.retryOneByOne ?? (() => true);
    this.keyOf = options.keyOf;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.inFlight === 0 && !this.refilling) this.pump();
      else this.refill();
    });
  }

  /**
   * After a call, the callers it answered usually submit again straight away (their code runs in
   * the microtasks that follow the answer). The next batch is taken once they have, in the next
   * turn of the event loop, so it carries them all: taken at once it carried the first alone and
   * the rest waited for it (measured at 8 and 32 clients: batches of 1 and 7, of 1 and 31).
   */
  private refill(): void {
    if (this.refilling) return;
    this.refilling = true;
    setImmediate(() => {
      this.refilling = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      // What waits is shared among the free calls, so they run side by side (one per core).
      const share = Math.ceil(this.queue.length / (this.maxInFlight - this.inFlight));
      const batch = this.take(Math.min(this.maxBatch, share));
      if (batch.length === 0) return; // every waiting key is in a running call
      const keys = this.keyOf ? batch.map((p) => this.keyOf!(p.item)) : [];
      for (const key of keys) this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        for (const key of keys) {
          const left = this.busy.get(key)! - 1;
          if (left === 0) this.busy.delete(key);
          else this.busy.set(key, left);
        }
        this.inFlight--;
        // A lone caller with nobody waiting: low load, nothing to gather, the next call goes at once.
        if (batch.length > 1 || this.queue.length > 0) this.refill();
        else this.pump();
      });
    }
  }

  /**
   * The next batch: the oldest items of keys not in a running call, `most` of them, and with
   * them every other waiting item of their keys (up to maxBatch): a key's items split over two
   * calls would only run one after the other, each call paying for itself.
   */
  private take(most: number): Pending<I, R>[] {
    if (!this.keyOf) return this.queue.splice(0, most);
    const batch: Pending<I, R>[] = [];
    const rest: Pending<I, R>[] = [];
    const taken = new Set<string>();
    for (const p of this.queue) {
      const key = this.keyOf(p.item);
      if (batch.length >= this.maxBatch || this.busy.has(key)) rest.push(p);
      else if (taken.has(key) || batch.length < most) {
        taken.add(key);
        batch.push(p);
      } else rest.push(p);
    }
    this.queue = rest;
    return batch;
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
