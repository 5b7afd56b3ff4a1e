import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');

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

describe('the layering rule (ledger <- application <- adapters <- runtime/cli; ledger types <- contract <- adapters)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('holds for the whole repository', async () => {
    const { code, output } = await cruise(root, ['.']);
    expect(output).not.toMatch(/error /);
    expect(code).toBe(0);
  }, 60_000);

  async function tree(files: [string, string][]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'credits-layers-'));
    dirs.push(dir);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
    );
    for (const [file, text] of files) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    return dir;
  }

  it.each([
    ['ledger/x.ts', "import '../bots/y.js';", 'bots/y.ts', 'ledger-imports-only-ledger'],
    // Into the contract from below it: the ledger and the application layer know no API shapes.
    ['ledger/x.ts', "import '../contract/y.js';", 'contract/y.ts', 'ledger-imports-only-ledger'],
    ['application/x.ts', "import '../contract/y.js';", 'contract/y.ts', 'application-imports-only-ledger'],
    // Out of the contract: it sits below every adapter and the application layer.
    [
      'contract/x.ts',
      "import '../integrations/api/y.js';",
      'integrations/api/y.ts',
      'contract-imports-only-contract',
    ],
    ['contract/x.ts', "import '../application/y.js';", 'application/y.ts', 'contract-imports-only-contract'],
    ['contract/x.ts', "import '../ledger/y.js';", 'ledger/y.ts', 'contract-imports-only-contract'],
    // An adapter reaching into another adapter's schemas instead of the contract.
    [
      'integrations/mcp/x.ts',
      "import '../api/y.js';",
      'integrations/api/y.ts',
      'adapter-integrations-mcp-stays-in-its-lane',
    ],
    ['runtime/x.ts', "import '../cli/y.js';", 'cli/y.ts', 'runtime-is-below-the-entry-points'],
    // A folder that belongs to no layer is not a way around the rule.
    ['tools/x.ts', "import '../runtime/y.js';", 'runtime/y.ts', 'every-folder-has-a-layer'],
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
      const dir = await tree([
        [from, `${statement}\nexport const x = 1;\n`],
        [to, 'export const y = 1;\n'],
      ]);
      const { code, output } = await cruise(dir, ['.']);
      expect(code).not.toBe(0);
      expect(output).toContain(rule);
      expect(output).toContain(`${from} → ${to}`);
    },
    60_000,
  );

  it('lets the adapters import the contract, and the contract import the ledger types', async () => {
    const dir = await tree([
      ['ledger/types.ts', "export const SCOPES = ['balance:read'] as const;\n"],
      ['contract/schemas.ts', "import { SCOPES } from '../ledger/types.js';\nexport const s = SCOPES;\n"],
      ['integrations/mcp/tools.ts', "import { s } from '../../contract/schemas.js';\nexport const t = s;\n"],
      ['integrations/api/app.ts', "import { s } from '../../contract/schemas.js';\nexport const a = s;\n"],
      ['runtime/roles.ts', "import { a } from '../integrations/api/app.js';\nexport const r = a;\n"],
    ]);
    const { code, output } = await cruise(dir, ['.']);
    expect(output).not.toMatch(/error /);
    expect(code).toBe(0);
  }, 60_000);

  it('places every source file of the repository in a layer (a new folder cannot slip past the rule)', () => {
    const rules = createRequire(import.meta.url)(config).forbidden as {
      name: string;
      from: { pathNot: string };
    }[];
    const outside = new RegExp(rules.find((r) => r.name === 'every-folder-has-a-layer')!.from.pathNot);
    const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) && f.includes('/'));
    expect(sources.length).toBeGreaterThan(300);
    expect(sources.filter((f) => !outside.test(f))).toEqual([]);
  });
});
