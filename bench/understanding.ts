/**
 * `npm run eval:understanding`: scores the understanding layer on its held-out corpus (never
 * trained on), on the fresh held-out corpus (never used to guide fixes either) and on the
 * training corpus; prints exact-reading accuracy, the intent confusions, the confidently wrong
 * readings and the time per reading, and writes bench/results/understanding.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { evaluate, type Score } from '../bots/understanding/evaluate.js';
import { CONFIDENT, loadCorpus, Understander } from '../bots/understanding/understand.js';

const log = (line = '') => process.stdout.write(`${line}\n`);

function show(name: string, s: Score) {
  log(
    `${name}: ${s.exact}/${s.total} exact (${(s.accuracy * 100).toFixed(1)} %), ${s.clarified} asked back, ${s.confidentlyWrong} confidently wrong`,
  );
  log(
    `  time per reading: p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(2)} ms (wall clock); CPU p50 ${s.cpuP50.toFixed(2)} ms, p99 ${s.cpuP99.toFixed(2)} ms`,
  );
  const confusions = Object.entries(s.confusions).sort((a, b) => b[1] - a[1]);
  if (confusions.length > 0)
    log(`  confusions (expected → read): ${confusions.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  for (const m of s.misses) {
    log(`  ${m.clarified ? 'asked back' : 'WRONG'} (${m.confidence.toFixed(2)}) "${m.text}"`);
    log(`      expected ${JSON.stringify(m.expected)}`);
    log(`      read     ${JSON.stringify(m.got)}`);
  }
}

const load = loadavg()[0]!;
const understander = await Understander.train();
log(
  `Trained on ${loadCorpus('train').examples.length} phrasings in ${understander.trainingMs.toFixed(0)} ms (confidence threshold ${CONFIDENT}).`,
);
// One untimed pass first: the bot is a long-running process, so the figures are for a warm one.
await evaluate(understander, loadCorpus('heldout'));
const heldout = await evaluate(understander, loadCorpus('heldout'));
const fresh = await evaluate(understander, loadCorpus('heldout-fresh'));
const train = await evaluate(understander, loadCorpus('train'));
show('held-out', heldout);
show('fresh held-out (never used to guide fixes)', fresh);
show('training', train);
log(
  `machine: ${cpus().length} CPUs, load average ${load.toFixed(1)} before the run (shared machine: outliers in p99 are other processes' time slices)`,
);

const strip = (s: Score) => ({ ...s, misses: s.misses });
await mkdir('bench/results', { recursive: true });
await writeFile(
  'bench/results/understanding.json',
  `${JSON.stringify(
    {
      when: new Date().toISOString(),
      trainingMs: Math.round(understander.trainingMs),
      confident: CONFIDENT,
      heldout: strip(heldout),
      heldoutFresh: strip(fresh),
      training: { ...strip(train), misses: train.misses.length },
      machine: { cpus: cpus().length, loadAverage1m: load },
    },
    null,
    2,
  )}\n`,
);
log('Wrote bench/results/understanding.json');
if (heldout.accuracy < 0.95 || heldout.confidentlyWrong > 0 || fresh.confidentlyWrong > 0)
  process.exitCode = 1;
