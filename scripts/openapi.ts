/**
 * The API contract as files in contract/: the document the server serves (openapi.json) and the
 * TypeScript types generated from it (openapi-types.ts; the n8n package copies it when it builds).
 * This script sits above every layer: it builds the API app to read the document it serves.
 *
 *   tsx scripts/openapi.ts write   regenerate the committed files from the routes
 *   tsx scripts/openapi.ts check   fail (exit 1) when a committed file differs from what the server serves
 *   tsx scripts/openapi.ts lint    check, then `redocly lint` the committed (= served) document
 *
 * No database is needed: the app is built over a context whose pool never connects (serving
 * /openapi.json runs no query).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from '../integrations/api/app.js';
import { createContext } from '../runtime/context.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The servers URL written into the committed document: the default listening address (PORT 3000). */
export const COMMITTED_SERVER_URL = 'http://127.0.0.1:3000';

export interface ContractFiles {
  document: string;
  types: string[];
}

export const COMMITTED: ContractFiles = {
  document: join(ROOT, 'contract/openapi.json'),
  types: [join(ROOT, 'contract/openapi-types.ts')],
};

/** The document exactly as `GET /openapi.json` serves it with PUBLIC_URL = COMMITTED_SERVER_URL. */
export async function servedDocument(): Promise<Record<string, unknown>> {
  const ctx = createContext({ databaseUrl: 'postgres://unused@127.0.0.1:9/never-connected' });
  try {
    const app = createApp({ ...ctx, publicUrl: COMMITTED_SERVER_URL });
    const res = await app.request('/openapi.json');
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  } finally {
    await ctx.close();
  }
}

/** The committed files' contents for a document. */
export async function renderContract(document: Record<string, unknown>): Promise<{
  document: string;
  types: string;
}> {
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's input type is its own OpenAPI3 shape
  const ast = await openapiTS(document as any, { alphabetize: false, exportType: false });
  const header =
    '// Generated from contract/openapi.json by `npm run openapi:write` (openapi-typescript); do not edit.\n\n';
  return {
    document: formatted('openapi.json', `${JSON.stringify(document, null, 2)}\n`),
    types: formatted('types.ts', header + astToString(ast)),
  };
}

/** The project's formatter, so the generated files pass `npm run lint` as written. */
function formatted(name: string, text: string): string {
  const biome = join(ROOT, 'node_modules/.bin/biome');
  const out = spawnSync(biome, ['format', `--stdin-file-path=${join(ROOT, 'contract', name)}`], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`biome format ${name}: ${out.stderr || out.stdout}`);
  return out.stdout;
}

/** Files that differ from what the served document renders to (empty: no drift). */
export async function drift(
  files: ContractFiles,
  document?: Record<string, unknown>,
): Promise<{ file: string; problem: string }[]> {
  const expected = await renderContract(document ?? (await servedDocument()));
  const problems: { file: string; problem: string }[] = [];
  const compare = (file: string, want: string) => {
    let have: string;
    try {
      have = readFileSync(file, 'utf8');
    } catch {
      problems.push({ file, problem: 'missing' });
      return;
    }
    if (have !== want) problems.push({ file, problem: firstDifference(have, want) });
  };
  compare(files.document, expected.document);
  for (const file of files.types) compare(file, expected.types);
  return problems;
}

function firstDifference(have: string, want: string): string {
  const a = have.split('\n');
  const b = want.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? '<end>')}, served ${JSON.stringify(b[i] ?? '<end>')}`;
    }
  }
  return 'differs';
}

async function main(command: string | undefined): Promise<number> {
  if (command === 'write') {
    const rendered = await renderContract(await servedDocument());
    writeFileSync(COMMITTED.document, rendered.document);
    for (const file of COMMITTED.types) writeFileSync(file, rendered.types);
    console.log(`wrote ${[COMMITTED.document, ...COMMITTED.types].map((f) => relative(ROOT, f)).join(', ')}`);
    return 0;
  }
  if (command === 'check') {
    const problems = await drift(COMMITTED);
    for (const p of problems) console.error(`${relative(ROOT, p.file)}: ${p.problem}`);
    if (problems.length > 0) {
      console.error(
        'The committed API contract differs from what the server serves: run `npm run openapi:write`.',
      );
      return 1;
    }
    console.log('contract/openapi.json and contract/openapi-types.ts match the served document');
    return 0;
  }
  if (command === 'lint') {
    // The committed document is linted once it is known to be exactly what the server serves, so the
    // lint-ignore file can name its locations.
    if ((await main('check')) !== 0) return 1;
    const redocly = join(ROOT, 'node_modules/.bin/redocly');
    const run = spawnSync(
      redocly,
      ['lint', '--config', 'redocly.yaml', '--max-problems', '1000', relative(ROOT, COMMITTED.document)],
      { stdio: 'inherit', cwd: ROOT },
    );
    return run.status ?? 1;
  }
  console.error('usage: tsx scripts/openapi.ts write|check|lint');
  return 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv[2]);
}
