import { GroupCommit, type Settled } from './batcher.js';
import { refusedByDatabase, type Sql } from './db.js';
import { CreditsError } from './errors.js';
import { loadBalanceParts, type StoredBalanceParts } from './queries.js';
import type { Clock } from './types.js';

/**
 * Balance reads, grouped like the debits: reads that arrive while one runs go together in the next
 * query, whatever their workspace (a lone read goes at once). On a busy 2-core machine a read's
 * cost was mostly its round trip, not its plan: the socket write that wakes a backend took 55 % of
 * the Node process's samples (64 µs a read at 8 clients), and 8 backends woken one by one competed
 * with the process for the two cores. Grouped, one write and one wake-up serve several reads.
 * Each read still sees every write that committed before it was asked for: its query starts after.
 */
export class BalanceReads {
  private readonly reads: GroupCommit<string, StoredBalanceParts>;

  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    callsInFlight: number,
  ) {
    this.reads = new GroupCommit((ids) => this.loadMany(ids), {
      maxBatch: 64,
      maxInFlight: callsInFlight,
      retryOneByOne: refusedByDatabase,
    });
  }

  load(workspaceId: string): Promise<StoredBalanceParts> {
    return this.reads.submit(workspaceId);
  }

  private async loadMany(ids: string[]): Promise<Settled<StoredBalanceParts>[]> {
    const found = await loadBalanceParts(this.sql, [...new Set(ids)], this.clock());
    return ids.map((id) => {
      const parts = found.get(id);
      return parts
        ? { ok: true, value: parts }
        : { ok: false, error: CreditsError.notFound('workspace', id) };
    });
  }
}
