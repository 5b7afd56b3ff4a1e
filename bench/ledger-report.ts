/**
 * The ledger bench's arithmetic and printing: ratios against pgbench tpcb-like (the issue's
 * yardstick) and against pgbench running our own debit on the same workload shape, the issue's
 * targets with pass/fail, and readable tables.
 */
import type { CpuSplit } from './cpu-meter.js';
import type { OpenLoopResult } from './open-loop.js';
import type { PgbenchResult } from './pgbench.js';
import type { LoadResult } from './support.js';

export const TPCB = 'pgbench tpcb-like';
export type Side = 'pgbench debit' | 'in-process' | 'HTTP';
export const caseName = (side: Side, shape: string) => `${side}, ${shape}`;

/** One client count's closed-loop results, by case name (`in-process, spread`, …). */
export interface ClientRow {
  clients: number;
  cases: Record<string, (LoadResult | PgbenchResult) & { cpu?: CpuSplit | null }>;
}

/** What the same shape gives when pgbench calls our debit function: the server-side ceiling. */
function pgDebitTwin(name: string): string | undefined {
  const i = name.indexOf(', ');
  if (i < 0 || name.startsWith('pgbench')) return undefined;
  return caseName('pgbench debit', name.slice(i + 2));
}

const ratio = (a: LoadResult | undefined, b: LoadResult | undefined) =>
  a && b && b.perSecond > 0 ? a.perSecond / b.perSecond : null;

export function ratiosFor(row: ClientRow) {
  const c = row.cases;
  const vsTpcb: Record<string, number | null> = {};
  const vsPgDebit: Record<string, number | null> = {};
  for (const name of Object.keys(c)) {
    if (name === TPCB) continue;
    vsTpcb[name] = ratio(c[name], c[TPCB]);
    const twin = pgDebitTwin(name);
    if (twin) vsPgDebit[name] = ratio(c[name], c[twin]);
  }
  return {
    inProcessSpreadVsPgbench: ratio(c['in-process, spread'], c[TPCB]),
    httpSpreadVsPgbench: ratio(c['HTTP, spread'], c[TPCB]),
    inProcessHotVsSpread: ratio(c['in-process, hot workspace'], c['in-process, spread']),
    httpHotVsSpread: ratio(c['HTTP, hot workspace'], c['HTTP, spread']),
    vsTpcb,
    vsPgDebit,
  };
}

export interface Target {
  id: string;
  description: string;
  /** `min`: measured ≥ threshold passes; `max`: measured ≤ threshold passes. */
  kind: 'min' | 'max';
  threshold: number;
  measured: number | null;
  /** null when the run did not measure it (scenario or client count not selected). */
  pass: boolean | null;
}

/** The targets (issue 12), each from the figures of this run. */
export function evaluateTargets(rows: ClientRow[], reads: Record<string, LoadResult>): Target[] {
  const at = (clients: number) => rows.find((r) => r.clients === clients)?.cases ?? {};
  const targets: Target[] = [];
  const add = (
    id: string,
    description: string,
    kind: 'min' | 'max',
    threshold: number,
    measured: number | null,
  ) =>
    targets.push({
      id,
      description,
      kind,
      threshold,
      measured,
      pass: measured === null ? null : kind === 'min' ? measured >= threshold : measured <= threshold,
    });
  for (const [clients, min] of [
    [1, 0.8],
    [8, 1.0],
    [32, 1.0],
  ] as const) {
    add(
      `inProcessSpreadVsPgbench@${clients}`,
      `spread debits in-process ≥ ${min.toFixed(1)}× pgbench tpcb-like at ${clients} client(s)`,
      'min',
      min,
      ratio(at(clients)['in-process, spread'], at(clients)[TPCB]),
    );
  }
  for (const clients of [8, 32]) {
    add(
      `budgetsSpreadVsWithout@${clients}`,
      `spread debits matching three budgets ≥ 0.9× spread debits without budgets at ${clients} clients (issue 27)`,
      'min',
      0.9,
      ratio(at(clients)['in-process, spread, 3 budgets'], at(clients)['in-process, spread']),
    );
  }
  for (const clients of [8, 32]) {
    add(
      `httpSpreadVsPgbench@${clients}`,
      `spread debits over HTTP ≥ 0.8× pgbench tpcb-like at ${clients} clients`,
      'min',
      0.8,
      ratio(at(clients)['HTTP, spread'], at(clients)[TPCB]),
    );
  }
  add(
    'inProcessZipf2VsPgbench@32',
    'Zipf s = 2 debits in-process ≥ 1.0× pgbench tpcb-like at 32 clients',
    'min',
    1.0,
    ratio(at(32)['in-process, zipf s=2'], at(32)[TPCB]),
  );
  for (const row of rows) {
    for (const side of ['in-process', 'HTTP'] as const) {
      add(
        `${side === 'HTTP' ? 'http' : 'inProcess'}HotVsSpread@${row.clients}`,
        `hot workspace ≥ 1.0× spread, ${side}, at ${row.clients} client(s)`,
        'min',
        1.0,
        ratio(row.cases[caseName(side, 'hot workspace')], row.cases[caseName(side, 'spread')]),
      );
    }
  }
  for (const [name, r] of Object.entries(at(32))) {
    if (!name.startsWith('in-process')) continue;
    add(`p99ms@32 ${name}`, `p99 ≤ 50 ms at 32 clients, ${name}`, 'max', 50, r.p99ms);
  }
  add(
    'balanceReadP99ms@8',
    'balance read p99 ≤ 3 ms at 8 clients over 1 M entries',
    'max',
    3,
    reads['8 client(s)']?.p99ms ?? null,
  );
  return targets;
}

const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ms = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(2) : '–');
const x2 = (x: number | null | undefined) => (x === null || x === undefined ? '' : `${x.toFixed(2)}×`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * One line per case and client count: rate, p50/p99, both ratios, and the machine's CPU: busy
 * share, µs per operation in all and in PostgreSQL, and the ratio to tpcb-like those costs imply
 * (tpcb-like's µs per transaction ÷ the case's µs per debit): what the case would reach against
 * tpcb-like if both kept the machine's cores equally busy.
 */
export function caseRows(rows: ClientRow[]) {
  return rows.flatMap((row) => {
    const r = ratiosFor(row);
    const tpcbCpu = row.cases[TPCB]?.cpu?.usPerOp.total;
    return Object.entries(row.cases).map(([name, res]) => ({
      clients: row.clients,
      case: name,
      perSecond: res.perSecond,
      p50ms: res.p50ms,
      p99ms: res.p99ms,
      errors: res.errors,
      vsTpcb: name === TPCB ? 1 : (r.vsTpcb[name] ?? null),
      vsPgDebit: r.vsPgDebit[name] ?? null,
      busy: res.cpu?.busy ?? null,
      cpuUsPerOp: res.cpu?.usPerOp.total ?? null,
      postgresUsPerOp: res.cpu?.usPerOp.postgres ?? null,
      cpuVsTpcb: tpcbCpu && res.cpu ? tpcbCpu / res.cpu.usPerOp.total : null,
    }));
  });
}

export function closedLoopTable(rows: ClientRow[]): string {
  return table(
    [
      'clients',
      'case',
      'per s',
      'p50 ms',
      'p99 ms',
      'errors',
      'vs tpcb',
      'vs pg debit',
      'busy',
      'CPU µs/op',
      'pg µs/op',
      'CPU vs tpcb',
    ],
    caseRows(rows).map((r) => [
      String(r.clients),
      r.case,
      n0(r.perSecond),
      ms(r.p50ms),
      ms(r.p99ms),
      r.errors ? String(r.errors) : '',
      x2(r.vsTpcb),
      x2(r.vsPgDebit),
      r.busy === null ? '' : `${Math.round(100 * r.busy)} %`,
      r.cpuUsPerOp === null ? '' : n0(r.cpuUsPerOp),
      r.postgresUsPerOp === null ? '' : n0(r.postgresUsPerOp),
      x2(r.cpuVsTpcb),
    ]),
  );
}

export interface OpenLoopRun {
  rate: number;
  shape: string;
  cases: Record<string, OpenLoopResult | PgbenchResult>;
}

export function openLoopTable(runs: OpenLoopRun[]): string {
  return table(
    ['target/s', 'case', 'done/s', 'p50 ms', 'p99 ms', 'svc p99', 'missed', 'late', 'errors'],
    runs.flatMap((run) =>
      Object.entries(run.cases).map(([side, r]) => {
        const missed = 'missed' in r ? r.missed : (r as PgbenchResult).skipped;
        return [
          n0(run.rate),
          `${side}, ${run.shape}`,
          n0(r.perSecond),
          ms(r.p50ms),
          ms(r.p99ms),
          ms(r.serviceP99ms),
          String(missed ?? ''),
          String(r.late ?? ''),
          r.errors ? String(r.errors) : '',
        ];
      }),
    ),
  );
}

export function targetsTable(targets: Target[]): string {
  return table(
    ['target', 'description', 'threshold', 'measured', 'result'],
    targets.map((t) => [
      t.id,
      t.description,
      `${t.kind === 'min' ? '≥' : '≤'} ${t.threshold}`,
      t.measured === null ? '–' : t.measured.toFixed(2),
      t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL',
    ]),
  );
}
