import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');
const LAYERS = ['ledger', 'application', 'workflows', 'integrations', 'bots', 'runtime', 'cli'];

async function cruise(cwd: string, dirs: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(depcruise, [...dirs, '--config', config, '--output-type', 'err'], {
      cwd,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the layering rule (ledger <- application <- adapters <- runtime/cli)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('holds for the whole source tree', async () => {
    const { code, output } = await cruise(root, LAYERS);
    expect(output).not.toMatch(/error /);
    expect(code).toBe(0);
  }, 60_000);

  it.each([
    ['ledger/x.ts', "import '../bots/y.js';", 'bots/y.ts', 'ledger-imports-only-ledger'],
    ['application/x.ts', "import '../workflows/y.js';", 'workflows/y.ts', 'application-imports-only-ledger'],
    [
      'bots/x.ts',
      "import '../integrations/api/y.js';",
      'integrations/api/y.ts',
      'adapter-bots-stays-in-its-lane',
    ],
    ['workflows/x.ts', "import '../runtime/y.js';", 'runtime/y.ts', 'adapter-workflows-stays-in-its-lane'],
  ])(
    'fails on a forbidden import: %s → %s',
    async (from, statement, to, rule) => {
      const dir = await mkdtemp(join(tmpdir(), 'credits-layers-'));
      dirs.push(dir);
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      );
      for (const [file, text] of [
        [from, `${statement}\nexport const x = 1;\n`],
        [to, 'export const y = 1;\n'],
      ] as const) {
        await mkdir(join(dir, file, '..'), { recursive: true });
        await writeFile(join(dir, file), text);
      }
      const { code, output } = await cruise(dir, [from.split('/')[0]!]);
      expect(code).not.toBe(0);
      expect(output).toContain(rule);
      expect(output).toContain(`${from} → ${to}`);
    },
    60_000,
  );
});
