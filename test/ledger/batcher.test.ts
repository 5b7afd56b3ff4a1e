import { describe, expect, it } from 'vitest';
import { KeyedBatcher, type Settled } from '../../ledger/batcher.js';

describe('KeyedBatcher', () => {
  it('retries a batch that failed as a whole item by item, so only the bad item fails', async () => {
    const calls: string[][] = [];
    const batcher = new KeyedBatcher<string, string>(async (_key, items) => {
      calls.push(items);
      if (items.includes('bad')) throw new Error('the database refused the batch');
      return items.map((i): Settled<string> => ({ ok: true, value: i.toUpperCase() }));
    });
    const first = batcher.submit('ws', 'first');
    const rest = ['a', 'bad', 'b', 'c'].map((i) =>
      batcher.submit('ws', i).then(
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
    const batcher = new KeyedBatcher<string, string>(
      async () => {
        calls++;
        throw new Error('connection refused');
      },
      256,
      () => false,
    );
    const all = ['x', 'y', 'z'].map((i) => batcher.submit('ws', i).catch((e: Error) => e.message));
    expect(await Promise.all(all)).toEqual([
      'connection refused',
      'connection refused',
      'connection refused',
    ]);
    expect(calls).toBe(2);
  });
});
