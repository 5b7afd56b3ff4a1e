/**
 * Deterministic workload shapes for the benches: a seeded PRNG, a Zipf sampler over ranks, and
 * pickers that map a (client, request) to a workspace id the same way pgbench's script does
 * (rank r → the r-th seeded workspace, so rank 1 is the hottest).
 */

/** mulberry32: small, fast, good enough to draw workloads; the same seed gives the same stream. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Bounded Zipf over ranks 0..n-1: P(rank k) ∝ 1 / (k+1)^s. The CDF is computed once; a draw is
 * one binary search, so sampling costs nothing next to a debit.
 */
export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(
    readonly n: number,
    readonly s: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Zipf needs n ≥ 1, got ${n}`);
    if (!(s >= 0)) throw new Error(`Zipf needs s ≥ 0, got ${s}`);
    this.cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += 1 / (k + 1) ** s;
      this.cdf[k] = total;
    }
    for (let k = 0; k < n; k++) this.cdf[k]! /= total;
    this.cdf[n - 1] = 1;
  }

  /** The probability of rank k (0-based). */
  probability(k: number): number {
    return this.cdf[k]! - (k === 0 ? 0 : this.cdf[k - 1]!);
  }

  /** The first rank whose cumulative probability reaches u, for u in [0, 1). */
  rankAt(u: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  sample(random: () => number): number {
    return this.rankAt(random());
  }
}

export type Shape = { kind: 'uniform' } | { kind: 'zipf'; s: number } | { kind: 'hot' };

/** Picks the workspace of request i of a client: `(client, i) => id`, one seeded stream per client. */
export type Picker = (client: number, i: number) => string;

export function picker(workspaces: readonly string[], shape: Shape, seed: number): Picker {
  if (shape.kind === 'hot') return () => workspaces[0]!;
  const zipf = shape.kind === 'zipf' ? new ZipfSampler(workspaces.length, shape.s) : null;
  const streams: (() => number)[] = [];
  return (client) => {
    streams[client] ??= seededRandom(seed * 7919 + client);
    const random = streams[client]!;
    const rank = zipf ? zipf.sample(random) : Math.floor(random() * workspaces.length);
    return workspaces[rank]!;
  };
}
