// Copies the static files n8n loads next to the compiled nodes (icons, codex JSON) into dist/.
import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      copyAssets(path);
    } else if (/\.(svg|png)$/.test(name) || name.endsWith('.node.json')) {
      const target = join(dist, relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}

for (const dir of ['nodes', 'credentials', 'icons']) copyAssets(join(root, dir));
