/**
 * Where a case's CPU went, by process, read from /proc (Linux): the whole machine's busy time,
 * PostgreSQL's (every server process, and the backends that exited, which their postmaster has
 * reaped), this bench process's (the load generator, and the in-process ledger), its child
 * processes' (`serve api`, pgbench, live or reaped) and the rest (the kernel's threads and
 * anything else on the machine). Per operation and as a share of the machine's cores, so a ratio
 * between two cases can be read against what each one costs the machine when it is saturated.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSplit {
  /** Busy share of the machine's cores over the case (1 = every core busy all the time). */
  busy: number;
  /** Time the hypervisor gave the machine's cores to others, as a share of them. */
  steal: number;
  /** µs of CPU per completed operation. */
  usPerOp: { postgres: number; bench: number; children: number; other: number; total: number };
}

interface Sample {
  /** All in clock ticks (USER_HZ). */
  busy: number;
  steal: number;
  all: number;
  postgres: number;
  bench: number;
  children: number;
}

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** `stop(ops)` gives the split of what ran since `cpuMeter()`; null where /proc cannot be read. */
export function cpuMeter(): { stop(ops: number): CpuSplit | null } {
  const start = sample();
  return {
    stop(ops) {
      const end = sample();
      if (!start || !end || ops <= 0) return null;
      const all = end.all - start.all;
      const us = (ticks: number) => (ticks * 1e6) / TICKS_PER_SECOND / ops;
      const postgres = end.postgres - start.postgres;
      const bench = end.bench - start.bench;
      const children = end.children - start.children;
      const busy = end.busy - start.busy;
      return {
        busy: all > 0 ? busy / all : 0,
        steal: all > 0 ? (end.steal - start.steal) / all : 0,
        usPerOp: {
          postgres: us(postgres),
          bench: us(bench),
          children: us(children),
          other: us(Math.max(0, busy - postgres - bench - children)),
          total: us(busy),
        },
      };
    },
  };
}

/** The whole machine's CPU so far, in ticks: busy (user, nice, system, irq, softirq), steal, and all of it. */
function machineTicks(): { busy: number; steal: number; all: number } | null {
  let f: number[];
  try {
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user)
    f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  } catch {
    return null;
  }
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, all: busy + idle + iowait + steal };
}

/** The whole machine's CPU seconds so far (see machineTicks). */
export function machineCpuSeconds(): { busy: number; steal: number; all: number } {
  const t = machineTicks();
  if (!t) return { busy: Number.NaN, steal: Number.NaN, all: Number.NaN };
  return {
    busy: t.busy / TICKS_PER_SECOND,
    steal: t.steal / TICKS_PER_SECOND,
    all: t.all / TICKS_PER_SECOND,
  };
}

/** CPU seconds (user + system) a live process has used so far; NaN when it cannot be read. */
export function processCpuSeconds(pid: number | undefined): number {
  const p = pid ? processTimes(String(pid)) : null;
  return p ? p.own / TICKS_PER_SECOND : Number.NaN;
}

/** CPU seconds so far of PostgreSQL on this machine: every server process, and the backends reaped. */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const p of processes()) if (p.comm === 'postgres') ticks += p.own + p.reaped;
  return ticks / TICKS_PER_SECOND;
}

function sample(): Sample | null {
  const machine = machineTicks();
  if (!machine) return null;
  const s: Sample = { ...machine, postgres: 0, bench: 0, children: 0 };
  for (const p of processes()) {
    if (p.pid === process.pid) {
      s.bench += p.own;
      s.children += p.reaped;
    } else if (p.comm === 'postgres') {
      // A backend that exits is reaped by its postmaster, which adds its times to its own.
      s.postgres += p.own + p.reaped;
    } else if (p.ppid === process.pid) {
      s.children += p.own + p.reaped;
    }
  }
  return s;
}

function* processes() {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = processTimes(name);
    if (p) yield p;
  }
}

function processTimes(pid: string) {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone since the listing
  }
  // pid (comm) state ppid … utime(14) stime(15) cutime(16) cstime(17): comm may hold spaces.
  const close = stat.lastIndexOf(')');
  const f = stat.slice(close + 2).split(' ');
  return {
    pid: Number(pid),
    comm: stat.slice(stat.indexOf('(') + 1, close),
    ppid: Number(f[1]),
    own: Number(f[11]) + Number(f[12]),
    reaped: Number(f[13]) + Number(f[14]),
  };
}

/** `run`'s result with the split of the CPU the machine spent while it ran. */
export async function metered<R extends { ops: number }>(
  run: () => Promise<R>,
): Promise<R & { cpu: CpuSplit | null }> {
  const meter = cpuMeter();
  const r = await run();
  return { ...r, cpu: meter.stop(r.ops) };
}
