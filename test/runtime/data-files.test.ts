import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { dataDirMode, operatorKey } from '../../runtime/operator-key.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder and its key files', () => {
  it('a new operator key is written 0600 in a 0700 folder (0711 as root) and shown only then', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'credits-data-')), 'data');
    const config = loadConfig({ CREDITS_DATA_DIR: dir });
    const first = await operatorKey(config);
    expect(first.shown).toContain(first.key);
    expect(mode(join(dir, 'operator-api-key'))).toBe(0o600);
    expect(mode(dir)).toBe(dataDirMode());
    expect(dataDirMode() & 0o077 & ~0o011).toBe(0); // nobody else may list or write it
    const again = await operatorKey(config);
    expect(again.key).toBe(first.key);
    expect(again.shown).not.toContain(first.key);
  });

  it('tightens a folder and a key file left readable by others', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'credits-data-')), 'data');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    const file = join(dir, 'operator-api-key');
    writeFileSync(file, 'cr_op_kept\n');
    chmodSync(file, 0o644);
    const { key } = await operatorKey(loadConfig({ CREDITS_DATA_DIR: dir }));
    expect(key).toBe('cr_op_kept');
    expect(readFileSync(file, 'utf8')).toBe('cr_op_kept\n');
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(dataDirMode());
  });

  it('OPERATOR_API_KEY wins and nothing is written', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'credits-data-')), 'data');
    const r = await operatorKey(
      loadConfig({ CREDITS_DATA_DIR: dir, OPERATOR_API_KEY: 'from-env-0123456789' }),
    );
    expect(r).toEqual({ key: 'from-env-0123456789', shown: '(from OPERATOR_API_KEY)' });
    expect(() => statSync(dir)).toThrow();
  });
});
