#!/usr/bin/env node
// Prints the path of a Node 24 binary, installing it first if needed: the `node-<platform>-<arch>`
// package from the npm registry (a plain binary inside a registry package, no install script), as
// integrations/n8n/e2e/run.mjs does. Kept outside the clone (~/.cache/credits/node24, or
// NODE24_DIR) so later runs on the machine reuse it. CI runs the suite with it besides the
// machine's Node (.ci/run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, homedir, platform } from 'node:os';
import { join } from 'node:path';

const VERSION = process.env.NODE24_VERSION ?? '24.21.0';
const dir = process.env.NODE24_DIR ?? join(homedir(), '.cache', 'credits', 'node24');
const pkg = `node-${platform()}-${arch()}`;
const binary = join(dir, 'node_modules', pkg, 'bin', 'node');

const version = () => spawnSync(binary, ['-v'], { encoding: 'utf8' }).stdout?.trim();
if (!existsSync(binary) || version() !== `v${VERSION}`) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'credits-node24', private: true }));
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', `${pkg}@${VERSION}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (npm.status !== 0 || version() !== `v${VERSION}`) {
    console.error(`node24: could not install ${pkg}@${VERSION} into ${dir}`);
    process.exit(1);
  }
}
console.log(binary);
