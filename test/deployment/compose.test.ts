import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const file = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));
// An empty env file, so a developer's .env next to the compose file cannot make the test pass.
const envFile = join(mkdtempSync(join(tmpdir(), 'credits-compose-')), 'empty.env');
writeFileSync(envFile, '');

function compose(args: string[], secrets: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env, ...secrets };
  for (const name of ['OPERATOR_API_KEY', 'POSTGRES_PASSWORD']) if (!(name in secrets)) delete env[name];
  const r = spawnSync('docker-compose', ['--env-file', envFile, '-f', file, ...args], {
    env,
    encoding: 'utf8',
  });
  if (r.error) {
    throw new Error(
      `docker-compose is needed for this test (apt-get install -y docker-compose): ${r.error.message}`,
    );
  }
  return r;
}

const both = { OPERATOR_API_KEY: 'op-secret-for-the-test', POSTGRES_PASSWORD: 'pg-secret-for-the-test' };

describe('docker-compose.yml ships no default secret', () => {
  it('`docker-compose config -q` fails with the two secrets unset, naming them', () => {
    const r = compose(['config', '-q'], {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/POSTGRES_PASSWORD|OPERATOR_API_KEY/);
  });

  it('fails with either one missing', () => {
    const noKey = compose(['config', '-q'], { POSTGRES_PASSWORD: both.POSTGRES_PASSWORD });
    expect(noKey.status).not.toBe(0);
    expect(noKey.stderr).toContain('OPERATOR_API_KEY');
    const noPassword = compose(['config', '-q'], { OPERATOR_API_KEY: both.OPERATOR_API_KEY });
    expect(noPassword.status).not.toBe(0);
    expect(noPassword.stderr).toContain('POSTGRES_PASSWORD');
  });

  it('passes with both set, and publishes neither PostgreSQL nor Temporal on the host’s interfaces', () => {
    expect(compose(['config', '-q'], both).status).toBe(0);
    const r = compose(['config'], both);
    expect(r.status).toBe(0);
    const config = parse(r.stdout) as {
      services: Record<
        string,
        { ports?: (string | { published?: number | string; host_ip?: string; target: number })[] }
      >;
    };
    expect(config.services.postgres?.ports ?? []).toEqual([]);
    expect(config.services.temporal?.ports ?? []).toEqual([]);
    const ui = config.services['temporal-ui']?.ports ?? [];
    expect(ui.length).toBeGreaterThan(0);
    for (const p of ui) {
      const ip = typeof p === 'string' ? p.split(':')[0] : p.host_ip;
      expect(ip, JSON.stringify(p)).toBe('127.0.0.1');
    }
    // The secrets reach the services from the environment, not from a value in the repository.
    expect(r.stdout).toContain(both.OPERATOR_API_KEY);
    expect(r.stdout).not.toMatch(/change-me|POSTGRES_PASSWORD: credits\b/);
  });
});
