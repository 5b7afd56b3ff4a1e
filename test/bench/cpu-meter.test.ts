import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import {
  cpuMeter,
  machineCpuSeconds,
  metered,
  postgresCpuSeconds,
  processCpuSeconds,
} from '../../bench/cpu-meter.js';
import { connect } from '../../ledger/db.js';

// 300 ms by CPU time, not by the clock: on a loaded machine a wall-clock loop may get half a core.
// Self-contained, so a child process runs the same function from its source.
function burn(): number {
  const c = process.cpuUsage();
  let x = 0;
  while (process.cpuUsage(c).user < 300_000) x += Math.sqrt(x + 1);
  return x;
}

// Other test files run beside this one on the same machine and server, so only lower bounds hold:
// what this test burnt must be found, in the right process, per operation.
describe('cpuMeter', () => {
  it("finds this process's CPU, a child's that has exited, and a PostgreSQL backend's that has exited", async () => {
    const meter = cpuMeter();
    const before = {
      self: processCpuSeconds(process.pid),
      pg: postgresCpuSeconds(),
      machine: machineCpuSeconds(),
    };
    burn();
    await promisify(execFile)(process.execPath, ['-e', `(${burn.toString()})()`]);
    const sql = connect(inject('databaseUrl'), { max: 1 });
    await sql`SELECT count(*) FROM generate_series(1, 3000000) g WHERE g % 7 = 3`;
    await sql.end();
    const split = meter.stop(2)!;
    // The same readings in seconds, as bench:lifecycle takes them.
    expect(processCpuSeconds(process.pid) - before.self).toBeGreaterThanOrEqual(0.28);
    expect(postgresCpuSeconds() - before.pg).toBeGreaterThan(0.02);
    expect(machineCpuSeconds().busy - before.machine.busy).toBeGreaterThanOrEqual(0.55);
    expect(processCpuSeconds(undefined)).toBeNaN();
    expect(split).not.toBeNull();
    // Two operations: per operation half of the 300 ms each side burnt (10 ms ticks).
    expect(split.usPerOp.bench).toBeGreaterThanOrEqual(140_000);
    expect(split.usPerOp.children).toBeGreaterThanOrEqual(140_000);
    expect(split.usPerOp.postgres).toBeGreaterThan(10_000);
    // The machine's busy time holds the processes' (both are counted in ticks, so not to the tick).
    const { postgres, bench, children, total } = split.usPerOp;
    expect(total).toBeGreaterThan(0.8 * (postgres + bench + children));
    expect(split.busy).toBeGreaterThan(0);
    expect(split.busy).toBeLessThanOrEqual(1);
  });

  it('gives no split for a case that completed nothing, and metered keeps the result', async () => {
    expect(cpuMeter().stop(0)).toBeNull();
    const r = await metered(async () => ({ ops: 4, perSecond: 1 }));
    expect(r.ops).toBe(4);
    expect(r.perSecond).toBe(1);
    expect(r.cpu).not.toBeNull();
  });
});
