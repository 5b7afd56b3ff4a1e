import { defaultCatalogPath, loadCatalog } from '../../ledger/catalog/index.js';
import type { Reading, Vocabulary } from './types.js';
import type { Corpus, Example, Understander } from './understand.js';

/**
 * Scores the understanding on a labelled corpus: a reading is exact when its intent, every slot
 * and the list of what it ignored equal the label, and it did not ask back. A wrong reading that
 * did not ask back is "confidently wrong", the one kind of answer the bot must never give.
 */

export interface Miss {
  text: string;
  expected: unknown;
  got: unknown;
  confidence: number;
  clarified: boolean;
}

export interface Score {
  total: number;
  exact: number;
  accuracy: number;
  clarified: number;
  confidentlyWrong: number;
  /** "expected → got" intent pairs and how often. */
  confusions: Record<string, number>;
  misses: Miss[];
  /** Milliseconds per reading. */
  p50: number;
  p99: number;
  max: number;
  /** CPU milliseconds per reading (this process only: less moved by a busy machine than the wall clock). */
  cpuP50: number;
  cpuP99: number;
}

function canonSlots(slots: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(slots)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/** The comparable form of a reading (labels use the same shape). */
export function canonical(r: Reading): { intent: string; slots: Record<string, unknown>; ignored: string[] } {
  const s = r.slots;
  const slots: Record<string, unknown> = canonSlots({
    items: s.items?.map((i) => ({
      operation: i.operation,
      ...(i.model ? { model: i.model } : {}),
      quantity: i.quantity,
      ...(i.quantityStated ? {} : { quantityStated: false }),
      ...(i.complexity ? { complexity: i.complexity } : {}),
    })),
    campaign: s.campaign
      ? { platforms: s.campaign.platforms, weeks: s.campaign.weeks, postsPerWeek: s.campaign.postsPerWeek }
      : undefined,
    operation: s.operation
      ? `${s.operation.key}${s.operation.model ? `/${s.operation.model}` : ''}`
      : undefined,
    member: s.member?.id,
    window: s.window ? { from: s.window.from, to: s.window.to } : undefined,
    package: s.package,
    plan: s.plan,
    thresholds: s.thresholds,
    amount: s.amount,
    purchaseId: s.purchaseId,
    limit: s.limit,
    groupBy: s.groupBy,
    toggle: s.toggle,
    period: s.period,
    audit: s.audit,
  });
  return { intent: r.intent, slots, ignored: [...r.ignored].sort() };
}

function expectedOf(e: Example): { intent: string; slots: Record<string, unknown>; ignored: string[] } {
  const ignored = ((e as Example & { ignored?: string[] }).ignored ?? []).slice().sort();
  return { intent: e.intent, slots: canonSlots(e.slots ?? {}), ignored };
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function corpusVocabulary(corpus: Corpus): Vocabulary {
  return { catalog: loadCatalog(defaultCatalogPath()), members: corpus.members };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function evaluate(understander: Understander, corpus: Corpus): Promise<Score> {
  const vocab = corpusVocabulary(corpus);
  const now = new Date(corpus.now);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const misses: Miss[] = [];
  const confusions: Record<string, number> = {};
  let exact = 0;
  let clarified = 0;
  let confidentlyWrong = 0;
  for (const e of corpus.examples) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const reading = await understander.read(e.text, vocab, now);
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    const got = canonical(reading);
    const expected = expectedOf(e);
    const right = stable(got) === stable(expected);
    if (reading.clarify) clarified++;
    if (right && !reading.clarify) {
      exact++;
      continue;
    }
    if (!right && !reading.clarify) confidentlyWrong++;
    if (got.intent !== expected.intent) {
      const key = `${expected.intent} → ${got.intent}`;
      confusions[key] = (confusions[key] ?? 0) + 1;
    }
    misses.push({ text: e.text, expected, got, confidence: reading.confidence, clarified: reading.clarify });
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return {
    total: corpus.examples.length,
    exact,
    accuracy: exact / corpus.examples.length,
    clarified,
    confidentlyWrong,
    confusions,
    misses,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? 0,
    cpuP50: percentile(cpuTimes, 50),
    cpuP99: percentile(cpuTimes, 99),
  };
}
