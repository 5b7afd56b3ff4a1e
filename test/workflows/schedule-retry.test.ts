import { describe, expect, it } from 'vitest';
import { ensureOrRetryInBackground } from '../../workflows/worker.js';

/** What @temporalio/client throws when the server answers with a gRPC status. */
const grpcError = (code: number, message: string) =>
  Object.assign(new Error('Failed to describe schedule'), {
    cause: Object.assign(new Error(message), { code }),
  });

describe('ensuring a schedule while Temporal is busy', () => {
  it('does not fail the start on a busy server and finishes the job in the background', async () => {
    let calls = 0;
    const lines: string[] = [];
    const stop = new AbortController();
    await ensureOrRetryInBackground(
      'maintenance schedule',
      async () => {
        calls++;
        if (calls < 3) throw grpcError(9, '9 FAILED_PRECONDITION: Unable to query workflow');
      },
      stop.signal,
      (line) => lines.push(line),
    );
    expect(calls).toBe(1);
    await expect.poll(() => calls, { timeout: 10_000 }).toBe(3);
    expect(lines[0]).toMatch(/Temporal is busy/);
    await expect.poll(() => lines.at(-1), { timeout: 1_000 }).toMatch(/done after retrying/);
    stop.abort();
  });

  it('fails the start on an error that retrying cannot fix', async () => {
    await expect(
      ensureOrRetryInBackground(
        'maintenance schedule',
        async () => {
          throw grpcError(3, '3 INVALID_ARGUMENT: bad spec');
        },
        new AbortController().signal,
        () => {},
      ),
    ).rejects.toThrow(/Failed to describe schedule/);
  });

  it('stops retrying once the worker stops', async () => {
    let calls = 0;
    const stop = new AbortController();
    await ensureOrRetryInBackground(
      'digest schedule',
      async () => {
        calls++;
        throw grpcError(14, '14 UNAVAILABLE');
      },
      stop.signal,
      () => {},
    );
    stop.abort();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(calls).toBe(1);
  });
});
