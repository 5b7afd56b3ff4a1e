import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from './config.js';

/**
 * The data folder's mode: 0700, so only its owner can list or enter it. As root, the embedded
 * PostgreSQL runs as another user who must pass through it to its own (0700) folder: 0711 lets
 * it enter without listing anything, and the key files stay 0600, readable by their owner only.
 */
export function dataDirMode(): number {
  return process.getuid?.() === 0 ? 0o711 : 0o700;
}

/** Creates the data folder if needed and tightens its mode (mkdir's mode applies only on creation). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: dataDirMode() });
  await chmod(dir, dataDirMode());
}

/** Writes a secret readable by its owner only, also when the file was there before with a wider mode. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * The operator key of `npm start`: OPERATOR_API_KEY, else the one kept in the data folder (0600),
 * else a new one. `shown` is what the banner prints: the secret only on the start that created it.
 */
export async function operatorKey(config: Config): Promise<{ key: string; shown: string }> {
  if (config.OPERATOR_API_KEY) return { key: config.OPERATOR_API_KEY, shown: '(from OPERATOR_API_KEY)' };
  const file = resolve(config.CREDITS_DATA_DIR, 'operator-api-key');
  const where = `${config.CREDITS_DATA_DIR}/operator-api-key`;
  await ensurePrivateDir(config.CREDITS_DATA_DIR);
  if (existsSync(file)) {
    // A key file left readable by others (an older version, a copy) is tightened at every start.
    await chmod(file, 0o600);
    return { key: (await readFile(file, 'utf8')).trim(), shown: `(kept in ${where})` };
  }
  const key = `cr_op_${randomBytes(24).toString('base64url')}`;
  await writePrivateFile(file, `${key}\n`);
  return { key, shown: `${key}   (new; kept in ${where}, shown only now)` };
}
