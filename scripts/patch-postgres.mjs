// Fixes a postgres.js 3.4.x bug (porsager/postgres#1154, #1208; fixes proposed in #1168 and #1209,
// not released): when the server kills a connection while queries are in flight, `nextWrite` calls
// `socket.write` on a socket that `closed()` has set to null. That throws an uncaught TypeError
// (the process crashes), and the stale write timer and chunk leave the connection hanging. The
// patch rejects the queries whose bytes could not be sent (callers see CONNECTION_CLOSED, which
// the API answers with 503) instead of dropping them silently.
// Applied after every install; idempotent; fails loudly if the code it patches has changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MARK = '/* credits: patched for postgres#1154 */';
let entry;
try {
  entry = createRequire(import.meta.url).resolve('postgres');
} catch {
  // Nothing installed yet (e.g. `npm install --package-lock-only`): nothing to patch.
  process.exit(0);
}
// The package's main entry is cjs/src/index.js; its root is two levels up.
const root = join(dirname(entry), '..', '..');
const edits = [
  [
    'function nextWrite(fn) {\n',
    `function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      query = null\n      return false\n    }\n`,
  ],
  [
    "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()",
    "    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n    chunk = null\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()",
  ],
  [
    '    clearImmediate(nextWriteTimer)\n    if (socket) {',
    '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n    chunk = null\n    if (socket) {',
  ],
];

for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
  const path = join(root, file);
  let text = readFileSync(path, 'utf8');
  if (text.includes(MARK)) continue;
  for (const [from, to] of edits) {
    if (!text.includes(from)) {
      console.error(
        `patch-postgres: ${file} no longer contains the code to patch; check whether postgres.js fixed #1154 and drop this script.`,
      );
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  writeFileSync(path, text);
  console.log(`patch-postgres: patched ${file}`);
}
