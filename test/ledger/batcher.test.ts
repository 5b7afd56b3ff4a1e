import { describe, expect, it } from 'vitest';
import { GroupCommit, type GroupCommitOptions, type Settled } from '../../ledger/batcher.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Past the turn of the event loop in which a finished call takes its next batch (refill). */
const afterRefill = () => new Promise((r) => setTimeout(r, 2));

/** A batcher whose every call waits until the test opens its gate (gates, in call order). */
function gated(options: GroupCommitOptions<string>) {
  const calls: string[][] = [];
  const gates: (() => void)[] = [];
  const batcher = new GroupCommit<string, string>(async (items) => {
    calls.push(items);
    await new Promise<void>((r) => gates.push(r));
    return items.map((i): Settled<string> => ({ ok: true, value: i }));
  }, options);
  return { calls, gates, batcher };
}

/** `ws:item` → `ws`. */
const byPrefix = (i: string) => i.split(':')[0]!;

describe('GroupCommit', () => {
  it('takes the next batch once the callers a call answered have submitted again: a closed loop goes in full batches', async () => {
    const sizes: number[] = [];
    const batcher = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 1));
      return items.map((i): Settled<number> => ({ ok: true, value: i }));
    });
    // A caller behind a few async layers, as Ledger.debit and the HTTP route are: its next
    // submit comes some microtasks after its answer.
    const layered = async (caller: number) => {
      const value = await batcher.submit(caller);
      for (let i = 0; i < 5; i++) await null;
      return value;
    };
    await Promise.all(
      Array.from({ length: 4 }, async (_, caller) => {
        for (let i = 0; i < 5; i++) expect(await layered(caller)).toBe(caller);
      }),
    );
    // The first caller goes at once, alone; the three others wait for it, and from then on all
    // four go together. Taken as soon as a call ended, batches alternated: 1, 3, 1, 3, …
    expect(sizes).toEqual([1, 4, 4, 4, 4, 3]);
  });

  it('runs the first request at once and the ones that arrive meanwhile together, whatever their key', async () => {
    const calls: string[][] = [];
    const first = gate();
    const batcher = new GroupCommit<string, string>(async (items) => {
      calls.push(items);
      if (calls.length === 1) await first.opened;
      return items.map((i): Settled<string> => ({ ok: true, value: i.toUpperCase() }));
    });
    const a = batcher.submit('ws1:a');
    expect(calls).toEqual([['ws1:a']]); // no timer: the idle path calls at once
    const rest = ['ws2:b', 'ws3:c', 'ws1:d'].map((i) => batcher.submit(i));
    first.open();
    expect(await Promise.all([a, ...rest])).toEqual(['WS1:A', 'WS2:B', 'WS3:C', 'WS1:D']);
    expect(calls).toEqual([['ws1:a'], ['ws2:b', 'ws3:c', 'ws1:d']]);
  });

  it('caps a batch and lets maxInFlight calls run at once', async () => {
    const calls: number[][] = [];
    let running = 0;
    let most = 0;
    const batcher = new GroupCommit<number, number>(
      async (items) => {
        calls.push(items);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items.map((i): Settled<number> => ({ ok: true, value: i * 2 }));
      },
      { maxBatch: 3, maxInFlight: 2 },
    );
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(i)));
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    // The first goes at once (nothing was running); the others, sent in the same turn, go
    // together in the second call, three at most; the rest wait, in order (how they split
    // depends on which call ends first: two free calls share what waits).
    expect(calls.slice(0, 2)).toEqual([[0], [1, 2, 3]]);
    expect(calls.flat()).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(Math.max(...calls.map((c) => c.length))).toBe(3);
    expect(most).toBe(2);
  });

  it('shares what waits among the free calls, so they run side by side', async () => {
    const { calls, gates, batcher } = gated({ maxInFlight: 2 });
    const all = [batcher.submit('a')];
    expect(calls).toEqual([['a']]); // idle: at once
    all.push(batcher.submit('b'));
    expect(calls).toEqual([['a']]); // a call is running: b waits for the rest of this turn
    await afterRefill();
    expect(calls).toEqual([['a'], ['b']]);
    all.push(...['c', 'd', 'e', 'f', 'g'].map((i) => batcher.submit(i))); // both calls busy
    for (const open of gates.splice(0)) open(); // both calls end in the same turn
    await afterRefill();
    expect(calls.slice(2)).toEqual([
      ['c', 'd', 'e'],
      ['f', 'g'],
    ]);
    for (const open of gates.splice(0)) open();
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it("keeps one key's waiting items in one call, even with calls free to share them", async () => {
    const { calls, gates, batcher } = gated({ maxInFlight: 2, keyOf: byPrefix });
    const all = ['hot:1', 'hot:2', 'hot:3', 'hot:4', 'cold:1'].map((i) => batcher.submit(i));
    gates.shift()!();
    await afterRefill();
    // Two free calls, four waiting: shared two and two would split hot's three over two calls
    // that could only run one after the other.
    expect(calls).toEqual([['hot:1'], ['hot:2', 'hot:3', 'hot:4'], ['cold:1']]);
    for (const open of gates.splice(0)) open();
    expect(await Promise.all(all)).toEqual(['hot:1', 'hot:2', 'hot:3', 'hot:4', 'cold:1']);
  });

  it('never runs one key in two calls at once: its items wait and keep their order', async () => {
    const { calls, gates, batcher } = gated({ maxInFlight: 3, keyOf: byPrefix });
    const all = ['a:1', 'a:2', 'b:1', 'a:3', 'c:1'].map((i) => batcher.submit(i));
    // a:1 runs at once; the others were sent in the same turn: a's two wait for a:1, b:1 and
    // c:1 go together (four waiting, two free calls: two to a call).
    await afterRefill();
    expect(calls).toEqual([['a:1'], ['b:1', 'c:1']]);
    gates.shift()!(); // a:1 done: a's waiting items go together, in order
    await afterRefill();
    expect(calls.at(-1)).toEqual(['a:2', 'a:3']);
    while (gates.length > 0) {
      gates.shift()!();
      await afterRefill();
    }
    expect(await Promise.all(all)).toEqual(['a:1', 'a:2', 'b:1', 'a:3', 'c:1']);
    expect(calls).toHaveLength(3);
  });

  it('settles each item with its own outcome', async () => {
    const batcher = new GroupCommit<number, number>(async (items) =>
      items.map(
        (i): Settled<number> =>
          i % 2 ? { ok: false, error: new Error(`odd ${i}`) } : { ok: true, value: i },
      ),
    );
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => batcher.submit(i)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      'odd 1',
      2,
      'odd 3',
      4,
    ]);
  });

  it('retries a batch that failed as a whole item by item, so only the bad item fails', async () => {
    const calls: string[][] = [];
    const batcher = new GroupCommit<string, string>(async (items) => {
      calls.push(items);
      if (items.includes('bad')) throw new Error('the database refused the batch');
      return items.map((i): Settled<string> => ({ ok: true, value: i.toUpperCase() }));
    });
    const first = batcher.submit('first');
    const rest = ['a', 'bad', 'b', 'c'].map((i) =>
      batcher.submit(i).then(
        (v) => ({ v }),
        (e) => ({ e }),
      ),
    );
    expect(await first).toBe('FIRST');
    const settled = await Promise.all(rest);
    expect(settled).toEqual([
      { v: 'A' },
      { e: new Error('the database refused the batch') },
      { v: 'B' },
      { v: 'C' },
    ]);
    expect(calls).toEqual([['first'], ['a', 'bad', 'b', 'c'], ['a'], ['bad'], ['b'], ['c']]);
  });

  it('does not retry item by item when the database is away', async () => {
    let calls = 0;
    const batcher = new GroupCommit<string, string>(
      async () => {
        calls++;
        throw new Error('connection refused');
      },
      { retryOneByOne: () => false },
    );
    const all = ['x', 'y', 'z'].map((i) => batcher.submit(i).catch((e: Error) => e.message));
    expect(await Promise.all(all)).toEqual([
      'connection refused',
      'connection refused',
      'connection refused',
    ]);
    expect(calls).toBe(2);
  });
});
