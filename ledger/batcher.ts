export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit per key. The first request for a key runs at once; requests that arrive while it
 * runs wait and then run together in one transaction. A hot workspace thus pays one lock and one
 * commit per batch instead of per request, and an idle one pays no extra latency.
 */
export class KeyedBatcher<I, R> {
  private readonly queues = new Map<string, Pending<I, R>[]>();

  constructor(
    private readonly run: (key: string, items: I[]) => Promise<Settled<R>[]>,
    private readonly maxBatch = 256,
    /** Whether a failed batch call is worth retrying item by item (not when the database is away). */
    private readonly retryOneByOne: (error: unknown) => boolean = () => true,
  ) {}

  submit(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(
          key,
          batch.map((p) => p.item),
        );
        batch.forEach((p, i) => {
          const r = results[i]!;
          if (r.ok) p.resolve(r.value);
          else p.reject(r.error);
        });
      } catch (error) {
        if (batch.length > 1 && this.retryOneByOne(error)) await this.oneByOne(key, batch);
        else for (const p of batch) p.reject(error);
      }
    }
    this.queues.delete(key);
  }

  /**
   * A batch call that failed as a whole (one item the checks let through but the database
   * refused) is retried item by item, so only that item fails and the others go through.
   */
  private async oneByOne(key: string, batch: Pending<I, R>[]): Promise<void> {
    for (const p of batch) {
      try {
        const [r] = await this.run(key, [p.item]);
        if (r!.ok) p.resolve(r!.value);
        else p.reject(r!.error);
      } catch (error) {
        p.reject(error);
      }
    }
  }
}
