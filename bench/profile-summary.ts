/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the CPU went: the top functions by
 * self time, and self time by package (hono, zod, postgres.js, prom-client, …, our own modules,
 * node internals, GC). A window (microseconds of the monotonic clock, as process.hrtime gives)
 * keeps only the samples taken inside it, so start-up can be left out.
 *
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 20] [--window from,to]
 *        [--requests N (per-request figures)] [--only <package> (functions of one package)] [--inclusive]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface Summary {
  /** Sampled time in the window, idle included. */
  totalMs: number;
  /** Sampled time in the window, idle excluded: the CPU the process used. */
  busyMs: number;
  functions: Row[];
  packages: Row[];
  /** Time with the function on the stack (children included), idle and the roots excluded. */
  inclusive: Row[];
}

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Which package (or part of ours) a frame belongs to. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (SPECIAL.has(functionName)) return functionName === '(garbage collector)' ? 'GC' : functionName;
  if (!url) return '(native/builtin)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return 'node (internal)';
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(repo)) {
    const rel = path.slice(repo.length).split('/');
    return `ours: ${rel.length > 2 ? `${rel[0]}/${rel[1]}` : rel[0]}`;
  }
  return url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const repo = new URL('..', import.meta.url).href;
  return url.startsWith(repo) ? url.slice(repo.length) : url.replace(/^node:/, '');
}

function functionKey(frame: CallFrame): string {
  return SPECIAL.has(frame.functionName)
    ? frame.functionName
    : `${frame.functionName || '(anonymous)'} ${frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)'}`;
}

export function summarise(
  profile: CpuProfile,
  options: { top?: number; window?: [number, number]; only?: string } = {},
): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (options.window && (t < options.window[0] || t > options.window[1])) continue;
    // A sample's time is the gap to the next one (V8 attributes the delta before it; the
    // difference vanishes over thousands of samples).
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    total += delta;
  }
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idle = 0;
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') idle += us;
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    if (!options.only || pkg === options.only) {
      const fn = functionKey(frame);
      functions.set(fn, (functions.get(fn) ?? 0) + us);
    }
    if (frame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (f.functionName === '(root)' || (options.only && packageOf(f) !== options.only)) continue;
      const key = functionKey(f);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const rows = (m: Map<string, number>, top: number): Row[] =>
    [...m]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busy > 0 ? us / busy : 0 }));
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    functions: rows(functions, options.top ?? 20),
    packages: rows(packages, 50),
    inclusive: rows(inclusive, options.top ?? 20),
  };
}

export function formatSummary(s: Summary, perRequestDivisor?: number, inclusive = false): string {
  const per = (ms: number) =>
    perRequestDivisor ? `  ${((ms * 1000) / perRequestDivisor).toFixed(1).padStart(7)} µs/req` : '';
  const line = (r: Row) =>
    `  ${r.ms.toFixed(0).padStart(7)} ms ${(r.share * 100).toFixed(1).padStart(5)} %${per(r.ms)}  ${r.name}`;
  return [
    `busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled${per(s.busyMs)}`,
    'self time by package:',
    ...s.packages.map(line),
    `top ${s.functions.length} functions by self time:`,
    ...s.functions.map(line),
    ...(inclusive
      ? [`top ${s.inclusive.length} functions by inclusive time:`, ...s.inclusive.map(line)]
      : []),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const top = Number(flag('--top') ?? 20);
  const win = flag('--window')?.split(',').map(Number) as [number, number] | undefined;
  const requests = flag('--requests');
  const only = flag('--only');
  const withInclusive = args.includes('--inclusive');
  if (withInclusive) args.splice(args.indexOf('--inclusive'), 1);
  if (args.length === 0) {
    console.error(
      'usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--window from,to] [--requests N] [--only pkg] [--inclusive]',
    );
    process.exit(2);
  }
  for (const file of args) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`== ${file}`);
    const summary = summarise(profile, { top, window: win, only });
    console.log(formatSummary(summary, requests ? Number(requests) : undefined, withInclusive));
  }
}
