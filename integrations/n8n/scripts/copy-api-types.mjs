// Copies the API's generated types (contract/openapi-types.ts at the repository root) into this
// package before it compiles: the package compiles only its own folder and ships alone, so it needs
// its own copy, but the repository keeps one committed file (the copy is git-ignored).
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, '../../contract/openapi-types.ts');
const target = join(root, 'nodes/Credits/transport/api-types.ts');

copyFileSync(source, target);
if (readFileSync(target, 'utf8') !== readFileSync(source, 'utf8'))
  throw new Error(`copy of ${source} differs`);
