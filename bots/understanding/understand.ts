import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { defaultCatalogPath, loadCatalog } from '../../ledger/catalog/index.js';
import { IntentClassifier } from './classifier.js';
import { describe } from './describe.js';
import { type Scan, scan } from './scan.js';
import { fill } from './slots.js';
import { type Alternative, INTENTS, type Intent, type Reading, type Vocabulary } from './types.js';

/** Below this the core asks back with the closest readings instead of answering. */
export const CONFIDENT = 0.6;
/** How strongly unseen words lower the confidence (with CONFIDENT, the pair that kept 0 confidently wrong readings on the held-out set). */
export const FAMILIARITY_POWER = 0.5;
/** The longest text read (the core refuses longer ones before asking). */
export const MAX_TEXT = 2000;

export interface Example {
  text: string;
  intent: Intent;
  slots?: Record<string, unknown>;
}

export interface Corpus {
  /** The clock the corpus's time windows are relative to. */
  now: string;
  members: Vocabulary['members'];
  examples: Example[];
}

const CORPUS_DIR = new URL('./corpus/', import.meta.url);

/** `heldout-fresh`: phrasings written without looking at failures, never used to guide fixes. */
export function loadCorpus(name: 'train' | 'heldout' | 'heldout-fresh'): Corpus {
  return JSON.parse(readFileSync(new URL(`${name}.json`, CORPUS_DIR), 'utf8')) as Corpus;
}

/** The trained model shipped beside the corpus (`npm run train:understanding` writes it). */
export const MODEL_FILE = new URL('model.json', CORPUS_DIR);

/** What the shipped model was trained from: it is used only while the corpus is unchanged. */
export function corpusHash(): string {
  return createHash('sha256')
    .update(readFileSync(new URL('train.json', CORPUS_DIR)))
    .digest('hex');
}

/** Everyday words: never read as a typo of a catalog name ("costs" is not "posts"). */
const BASE_COMMON = [
  'cost',
  'costs',
  'price',
  'prices',
  'priced',
  'spend',
  'spent',
  'spending',
  'used',
  'use',
  'using',
  'usage',
  'credits',
  'credit',
  'balance',
  'left',
  'remaining',
  'much',
  'many',
  'how',
  'what',
  'when',
  'who',
  'why',
  'which',
  'where',
  'does',
  'would',
  'could',
  'should',
  'will',
  'have',
  'has',
  'had',
  'our',
  'your',
  'their',
  'with',
  'this',
  'that',
  'these',
  'those',
  'there',
  'here',
  'from',
  'into',
  'about',
  'more',
  'most',
  'less',
  'cheaper',
  'cheapest',
  'expensive',
  'month',
  'week',
  'weeks',
  'months',
  'days',
  'hours',
  'year',
  'today',
  'make',
  'making',
  'create',
  'generate',
  'need',
  'want',
  'like',
  'some',
  'any',
  'each',
  'every',
  'other',
  'hello',
  'thanks',
  'thank',
  'please',
  'package',
  'packages',
  'plan',
  'plans',
  'alert',
  'alerts',
  'keys',
  'budget',
  'budgets',
  'limit',
  'raise',
  'member',
  'members',
  'team',
  'people',
  'person',
  'user',
  'users',
  'total',
  'enough',
  'afford',
  'estimate',
  'history',
  'transactions',
  'entries',
  'show',
  'list',
  'tell',
  'give',
  'know',
  'check',
  'last',
  'next',
  'since',
  'until',
  'before',
  'after',
  'between',
  'again',
  'also',
  'just',
  'only',
  'still',
  'even',
  'then',
  'than',
  'were',
  'been',
  'being',
  'them',
  'they',
  'doing',
  'done',
];

export class Understander {
  private constructor(
    private readonly classifier: IntentClassifier,
    readonly common: ReadonlySet<string>,
    /** Milliseconds training took (reported by the eval). */
    readonly trainingMs: number,
  ) {}

  private static commonWords(corpus: Corpus): Set<string> {
    const common = new Set(BASE_COMMON);
    for (const e of corpus.examples) {
      if (e.slots && ('items' in e.slots || 'operation' in e.slots)) continue;
      for (const w of e.text.toLowerCase().split(/[^\p{L}\p{N}']+/u)) if (w.length > 1) common.add(w);
    }
    return common;
  }

  /** The shipped model when it was trained from this corpus, else a model trained now. */
  static async load(): Promise<Understander> {
    const started = performance.now();
    if (existsSync(MODEL_FILE)) {
      const shipped = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as { corpus: string; model: unknown };
      if (shipped.corpus === corpusHash()) {
        const common = Understander.commonWords(loadCorpus('train'));
        return new Understander(
          IntentClassifier.fromJSON(shipped.model),
          common,
          performance.now() - started,
        );
      }
    }
    return Understander.train();
  }

  /** The model as shipped: the network and the hash of the corpus it learned. */
  toJSON(): { corpus: string; model: unknown } {
    return { corpus: corpusHash(), model: this.classifier.toJSON() };
  }

  static async train(corpus: Corpus = loadCorpus('train')): Promise<Understander> {
    const started = performance.now();
    const common = Understander.commonWords(corpus);
    const vocab: Vocabulary = { catalog: loadCatalog(defaultCatalogPath()), members: corpus.members };
    const now = new Date(corpus.now);
    const utterances = corpus.examples.map((e) => ({
      utterance: scan(vocab, e.text, now, common).masked.join(' ') || e.text,
      intent: e.intent,
    }));
    const classifier = await IntentClassifier.train(utterances);
    return new Understander(classifier, common, performance.now() - started);
  }

  private static sharedOne: Promise<Understander> | undefined;

  /** One model per process: the shipped one (milliseconds), or trained from the corpus when it changed. */
  static shared(): Promise<Understander> {
    Understander.sharedOne ??= Understander.load();
    return Understander.sharedOne;
  }

  /** Reads a plain question. Never throws on any text; a failure reads as "help". */
  async read(text: string, vocab: Vocabulary, now: Date): Promise<Reading> {
    const s = scan(vocab, text.slice(0, MAX_TEXT), now, this.common);
    if (s.masked.length === 0) return this.sure('help', s, vocab);
    if (s.purchaseIds.length > 0) {
      const verb = s.words[0];
      if (verb === 'approve' || verb === 'reject') return this.sure(verb, s, vocab);
    }
    const { scores: all, unseen } = await this.classifier.classify(s.masked.join(' '));
    const scores = all.filter((c) => (INTENTS as readonly string[]).includes(c.intent)) as {
      intent: Intent;
      score: number;
    }[];
    // Words the corpus never used make any reading less sure ("what ate our credits").
    const familiar = (1 - unseen) ** FAMILIARITY_POWER;
    const readings = scores.slice(0, 4).map((c) => {
      const f = fill(c.intent, s, vocab, this.common);
      return { intent: c.intent, f, confidence: Math.max(0, c.score * familiar - f.doubt) };
    });
    readings.sort((a, b) => b.confidence - a.confidence);
    const top = readings[0];
    if (!top) return { ...this.sure('help', s, vocab), confidence: 0, clarify: true };
    const alternatives: Alternative[] = readings
      .slice(1)
      .filter((r) => r.confidence >= 0.02)
      .slice(0, 3)
      .map((r) => ({
        intent: r.intent,
        slots: r.f.slots,
        confidence: r.confidence,
        label: describe(r.intent, r.f.slots),
      }));
    return {
      intent: top.intent,
      slots: top.f.slots,
      confidence: top.confidence,
      alternatives,
      ignored: top.f.ignored,
      unknown: top.f.unknown,
      ambiguous: s.ambiguous.map(({ phrase, candidates }) => ({ phrase, candidates })),
      clarify: top.confidence < CONFIDENT,
      label: describe(top.intent, top.f.slots),
    };
  }

  /** A slash command's subcommand fixes the intent; the rest of the line fills its slots. */
  async command(sub: string, args: string, vocab: Vocabulary, now: Date): Promise<Reading> {
    const rest = args.trim();
    const s = scan(vocab, rest.slice(0, MAX_TEXT), now, this.common);
    switch (sub.trim().toLowerCase()) {
      case '':
      case 'balance':
        // "/credits balance pls": the whole line is the question ("pls" alone asks nothing).
        return rest ? this.read(`${sub} ${rest}`, vocab, now) : this.sure('balance', s, vocab);
      case 'estimate': {
        const r = await this.read(rest, vocab, now);
        if (r.intent === 'estimate' || r.intent === 'afford') return { ...r, clarify: false, confidence: 1 };
        return this.sure('estimate', s, vocab);
      }
      case 'history':
      case 'usage':
      case 'buy':
      case 'why':
      case 'pending':
      case 'web':
      case 'help':
        return this.sure(sub.trim().toLowerCase() as Intent, s, vocab);
      case 'alerts':
        return this.sure(s.numbers.length > 0 ? 'set_alerts' : 'alerts', s, vocab);
      case 'approve':
      case 'reject': {
        // The id as written: purchase ids are case-sensitive.
        const id = rest.split(/\s+/)[0] ?? '';
        const r = this.sure(sub.trim().toLowerCase() as Intent, s, vocab);
        return { ...r, slots: /^purchase-[A-Za-z0-9_-]{1,120}$/.test(id) ? { purchaseId: id } : {} };
      }
      default:
        return this.read(`${sub} ${rest}`, vocab, now);
    }
  }

  private sure(intent: Intent, s: Scan, vocab: Vocabulary): Reading {
    const f = fill(intent, s, vocab, this.common);
    return {
      intent,
      slots: f.slots,
      confidence: 1,
      alternatives: [],
      ignored: f.ignored,
      unknown: f.unknown,
      ambiguous: s.ambiguous.map(({ phrase, candidates }) => ({ phrase, candidates })),
      clarify: false,
      label: describe(intent, f.slots),
    };
  }
}
