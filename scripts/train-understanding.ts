/**
 * `npm run train:understanding`: trains the intent classifier from
 * bots/understanding/corpus/train.json and writes corpus/model.json, which the bots load at start
 * (milliseconds, inside Slack's 3-second ack) instead of training (seconds). A test fails when the
 * shipped model was not trained from the current corpus.
 */
import { writeFileSync } from 'node:fs';
import { MODEL_FILE, Understander } from '../bots/understanding/understand.js';

const u = await Understander.train();
writeFileSync(MODEL_FILE, `${JSON.stringify(u.toJSON())}\n`);
process.stdout.write(`Trained in ${u.trainingMs.toFixed(0)} ms; wrote ${MODEL_FILE.pathname}\n`);
