import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from './config.js';

/**
 * The operator key of `npm start`: OPERATOR_API_KEY, else the one kept in the data folder (0600),
 * else a new one. `shown` is what the banner prints: the secret only on the start that created it.
 */
export async function operatorKey(config: Config): Promise<{ key: string; shown: string }> {
  if (config.OPERATOR_API_KEY) return { key: config.OPERATOR_API_KEY, shown: '(from OPERATOR_API_KEY)' };
  const file = resolve(config.CREDITS_DATA_DIR, 'operator-api-key');
  const where = `${config.CREDITS_DATA_DIR}/operator-api-key`;
  if (existsSync(file)) return { key: (await readFile(file, 'utf8')).trim(), shown: `(kept in ${where})` };
  const key = `cr_op_${randomBytes(24).toString('base64url')}`;
  await mkdir(config.CREDITS_DATA_DIR, { recursive: true, mode: 0o700 });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, shown: `${key}   (new; kept in ${where}, shown only now)` };
}
