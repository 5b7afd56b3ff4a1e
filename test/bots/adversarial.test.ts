import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHAT_TEXT } from '../../bots/core/core.js';
import type { Answer } from '../../bots/core/types.js';
import { editDistance, editDistanceWithin, matchPhrase } from '../../bots/understanding/names.js';
import type { Vocabulary } from '../../bots/understanding/types.js';
import { Understander } from '../../bots/understanding/understand.js';
import { defaultCatalogPath } from '../../ledger/catalog/index.js';
import { loadCatalog } from '../../ledger/catalog/load.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld } from './support.js';

const catalog = loadCatalog(defaultCatalogPath());
const sql = useTestDatabase();
const BUDGET_MS = 50;

const fill = (unit: string, prefix = '', suffix = '') => {
  const room = MAX_CHAT_TEXT - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
};

/** Inputs aimed at the old parser's patterns and the understanding's scans: runs that make a regex retry, and long fuzzy phrases. */
const adversarial: Record<string, string> = {
  'trailing punctuation, not at the end': fill('?!.', '', 'x'),
  'unclosed mentions': fill('<@a|'),
  'unclosed channel links': fill('<#a|'),
  'emoji colons': fill(':a'),
  'words and commas': fill('a,'),
  'counts before a unit': fill('1,', 'campaign ', ' weeks'),
  'posts a week': fill('a,', '', ' a week'),
  'typo-ridden model names': fill('fluxx prro veoo nanno '),
  'a cost question over typos': fill('fluxx prro veoo nanno ', 'how much would '),
  'an affordability question': fill('qwenn imagge ', 'can we afford '),
  'many items': fill('1 flux and ', 'cost '),
  'one enormous word': fill('fluxproveo', 'cost '),
  'history of lasts': fill('last ', 'history '),
  'alert thresholds': fill('x', 'alerts low '),
  'buy the the the': fill('the ', 'buy '),
  whitespace: fill(' \t\n', 'cost '),
  'hyphens and digits': fill('1-', 'estimate '),
};

/**
 * CPU time in ms of `run`, the least of three runs: other processes on a loaded machine stretch
 * the wall clock (63 ms at load 7 on 2 cores) but not this, while a pattern that backtracks out
 * of control still costs seconds. The test files run in forks, so the process's CPU time is this
 * test's (and its GC's; for the dispatcher also the database client's, not the server's).
 */
async function cpuMs(run: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    await run();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}

/** An answer or a question back: never an internal error, never a stack trace. */
function expectAnswered(answer: Answer, what: string) {
  expect(answer.intent, what).not.toBe('error');
  expect(answer.text.trim(), what).not.toBe('');
  expect(answer.text, what).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
}

describe('the understanding and the dispatcher on adversarial input', () => {
  let u: Understander;
  let ws: Awaited<ReturnType<ReturnType<typeof botWorld>['workspace']>>;
  let vocab: Vocabulary;
  const now = new Date('2026-11-16T12:00:00Z');

  beforeAll(async () => {
    u = await Understander.shared();
    const w = botWorld(sql);
    ws = await w.workspace();
    vocab = { catalog, members: await w.directory.members(ws.id) };
    // Warm up the JIT, the model and the catalog's caches, so the budgets measure the reading alone.
    await u.read('how much would 5 flux 2 pro images cost?', vocab, now);
    await ws.ask('owner', 'how much would 5 flux 2 pro images cost?');
  });

  for (const [name, text] of Object.entries(adversarial)) {
    it(`${name} (${text.length} characters): read within ${BUDGET_MS} ms; the dispatcher answers or asks back`, async () => {
      expect(text.length).toBeLessThanOrEqual(MAX_CHAT_TEXT);
      const ms = Math.max(
        await cpuMs(() => u.read(text, vocab, now)),
        await cpuMs(() => u.command('estimate', text, vocab, now)),
        await cpuMs(() => u.command('history', text, vocab, now)),
        await cpuMs(async () => matchPhrase(catalog, text)),
      );
      expect(ms).toBeLessThan(BUDGET_MS);
      const answers: [string, () => Promise<Answer>][] = [
        ['in words', () => ws.ask('owner', text)],
        ['/credits estimate', () => ws.command('owner', 'estimate', text)],
        ['/credits history', () => ws.command('owner', 'history', text)],
      ];
      for (const [how, ask] of answers) {
        let answer: Answer | undefined;
        // The whole answer, reading and database reads included, in the bench's p99 bound (100 ms).
        expect(await cpuMs(async () => (answer = await ask())), how).toBeLessThan(2 * BUDGET_MS);
        expectAnswered(answer!, `${how}: ${name}`);
      }
    });
  }

  it('random text up to the cap is read within the budget and answered', async () => {
    const alphabet = fc.constantFrom(...'ab flux pro veo 3.1 ,;&+?!.:<@#|>-x1 and plus'.split(''));
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: alphabet, minLength: 500, maxLength: MAX_CHAT_TEXT }),
        async (text) => {
          expect(await cpuMs(() => u.read(text, vocab, now))).toBeLessThan(BUDGET_MS);
          expectAnswered(await ws.ask('member', text), text.slice(0, 60));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the bounded edit distance agrees with the full one within the bound', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        (a, b, max) => {
          expect(editDistanceWithin(a, b, max)).toBe(Math.min(editDistance(a, b), max + 1));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('still answers ordinary questions', async () => {
    const estimate = await ws.ask('owner', 'how much would 5 flux 2 pro images cost???');
    expect(estimate).toMatchObject({ intent: 'estimate' });
    expect(estimate.text).toMatch(/^5 × Flux 2 Pro: 600 credits/);
    expect(await ws.ask('owner', 'how many credits left?!')).toMatchObject({ intent: 'balance' });
    const typo = await ws.ask('owner', 'how much would 3 fluxx 2 pro images cost');
    expect(typo).toMatchObject({ intent: 'estimate' });
    expect(typo.text).toMatch(/3 × Flux 2 Pro/);
  });
});

describe('chat text past the cap', () => {
  it('gets a polite answer and is not parsed', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    const long = `how many credits left? ${'x'.repeat(MAX_CHAT_TEXT)}`;
    const answer = await ws.ask('owner', long);
    expect(answer).toMatchObject({ intent: 'help', ephemeral: true });
    expect(answer.text).toMatch(/too long for me \(2,023 characters; I read up to 2,000\)/);
    const viaCommand = await ws.command('owner', 'estimate', `5 flux 2 pro ${'and 1 veo '.repeat(300)}`);
    expect(viaCommand.text).toMatch(/too long for me/);
    // Just under the cap is an ordinary question.
    const fits = await ws.ask('owner', `how many credits left?${' '.repeat(MAX_CHAT_TEXT - 30)}`);
    expect(fits.intent).toBe('balance');
  });
});
