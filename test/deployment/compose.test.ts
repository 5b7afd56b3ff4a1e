// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose's ${VAR} templates, not JavaScript's
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  type ComposeConfig,
  type ComposeResult,
  LOOPBACK,
  loadCompose,
  publications,
  type VariableUse,
} from './compose-file.js';

/**
 * docker-compose.yml as `docker-compose config` sees it (parsed, interpolated by the Compose
 * Specification's rules, validated against its JSON schema), without the docker-compose binary:
 * no default secret, nothing of PostgreSQL or Temporal published on the host's interfaces.
 * Each check is also run on a small file that breaks it, so none passes vacuously.
 */

const file = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const both = { OPERATOR_API_KEY: 'op-secret-for-the-test', POSTGRES_PASSWORD: 'pg-secret-for-the-test' };
// Only what is given: nothing from the developer's environment (or a .env) can make a check pass.
const load = (text: string, env: Record<string, string> = {}) => loadCompose(text, env);

const SECRET = /PASSWORD|SECRET|TOKEN|(^|_)KEY$|API_KEY/;
/** Secret-looking variables given a non-empty default (`${X:-value}` or `${X-value}`). */
function defaultSecrets(uses: VariableUse[]): string[] {
  return uses
    .filter((u) => SECRET.test(u.name) && (u.operator === ':-' || u.operator === '-') && u.operand !== '')
    .map((u) => `${u.path}: ${u.name} defaults to ${JSON.stringify(u.operand)}`);
}

const SERVER_IMAGE = /^(postgres|temporalio\/(server|auto-setup|admin-tools))([:@]|$)/;
/** Ports published where they should not be: a database or Temporal server at all, anything else but Credits off loopback. */
function exposedPorts(config: ComposeConfig): string[] {
  return publications(config)
    .filter((p) => {
      const s = config.services[p.service]!;
      if (SERVER_IMAGE.test(s.image ?? '')) return true;
      const credits = s.build !== undefined || /^credits([:@]|$)/.test(s.image ?? '');
      return !credits && !LOOPBACK.has(p.hostIp);
    })
    .map((p) => `${p.service} publishes ${p.target} on ${p.hostIp || 'every interface'}`);
}

function loaded(result: ComposeResult): ComposeConfig {
  expect(result.errors).toEqual([]);
  return result.config!;
}

describe('docker-compose.yml ships no default secret', () => {
  it('fails with the two secrets unset, naming them', () => {
    const r = load(file);
    expect(r.config).toBeNull();
    expect(r.errors.join('\n')).toMatch(/required variable POSTGRES_PASSWORD is missing a value/);
    expect(r.errors.join('\n')).toMatch(/required variable OPERATOR_API_KEY is missing a value/);
  });

  it('fails with either one missing or empty, naming it', () => {
    for (const [given, missing] of [
      [{ POSTGRES_PASSWORD: both.POSTGRES_PASSWORD }, 'OPERATOR_API_KEY'],
      [{ OPERATOR_API_KEY: both.OPERATOR_API_KEY }, 'POSTGRES_PASSWORD'],
      [{ ...both, POSTGRES_PASSWORD: '' }, 'POSTGRES_PASSWORD'],
    ] as const) {
      const r = load(file, given);
      expect(r.config, missing).toBeNull();
      expect(r.errors.join('\n')).toContain(`required variable ${missing} is missing a value`);
      const other = missing === 'OPERATOR_API_KEY' ? 'POSTGRES_PASSWORD' : 'OPERATOR_API_KEY';
      expect(r.errors.join('\n')).not.toContain(`variable ${other} is missing`);
    }
  });

  it('gives no secret-looking variable a default', () => {
    const r = load(file, both);
    expect(r.uses.map((u) => u.name)).toEqual(
      expect.arrayContaining(['POSTGRES_PASSWORD', 'OPERATOR_API_KEY']),
    );
    expect(defaultSecrets(r.uses)).toEqual([]);
  });

  it('is valid with both set, and the secrets reach the services from the environment only', () => {
    const config = loaded(load(file, both));
    const rendered = stringify(config);
    expect(rendered).toContain(both.OPERATOR_API_KEY);
    expect(rendered).toContain(both.POSTGRES_PASSWORD);
    expect(rendered).not.toMatch(/change-me|POSTGRES_PASSWORD: credits\b/);
  });

  it('publishes neither PostgreSQL nor Temporal on the host’s interfaces; the Web UI on loopback only', () => {
    const config = loaded(load(file, both));
    const images = Object.values(config.services).map((s) => s.image ?? '');
    expect(images.some((i) => /^postgres[:@]/.test(i))).toBe(true);
    expect(images.some((i) => /^temporalio\/(server|auto-setup)[:@]/.test(i))).toBe(true);
    expect(exposedPorts(config)).toEqual([]);
    const ui = publications(config).filter((p) =>
      /^temporalio\/ui[:@]/.test(config.services[p.service]!.image!),
    );
    expect(ui.length).toBeGreaterThan(0);
    for (const p of ui) expect(p.hostIp, JSON.stringify(p)).toBe('127.0.0.1');
  });
});

describe('the checks fail on a file that breaks them', () => {
  const bad = `
x-env: &env
  OPERATOR_API_KEY: \${OPERATOR_API_KEY:-change-me}
services:
  postgres:
    image: postgres:16-bookworm
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD-credits}
    ports: ["5432:5432"]
  temporal:
    image: temporalio/server:1.29.1
    network_mode: host
  temporal-ui:
    image: temporalio/ui:2.42.1
    ports: ["8080:8080", { target: 8080, published: 8081, host_ip: 0.0.0.0 }]
  api:
    build: .
    environment: *env
    ports: ["3000"]
`;

  it('a default secret passes interpolation but is named', () => {
    const r = load(bad);
    expect(r.errors).toEqual([]);
    expect(defaultSecrets(r.uses)).toEqual([
      'x-env.OPERATOR_API_KEY: OPERATOR_API_KEY defaults to "change-me"',
      'services.postgres.environment.POSTGRES_PASSWORD: POSTGRES_PASSWORD defaults to "credits"',
      'services.api.environment.OPERATOR_API_KEY: OPERATOR_API_KEY defaults to "change-me"',
    ]);
  });

  it('a published database, a Temporal server on the host network and a UI on every interface are named', () => {
    expect(exposedPorts(loaded(load(bad)))).toEqual([
      'postgres publishes 5432 on every interface',
      'temporal publishes * on every interface',
      'temporal-ui publishes 8080 on every interface',
      'temporal-ui publishes 8080 on 0.0.0.0',
    ]);
  });

  it('a key the Compose Specification does not know is a schema error', () => {
    const r = load(`services:\n  api:\n    image: credits:latest\n    depend_on: [postgres]\n`);
    expect(r.config).toBeNull();
    expect(r.errors.join('\n')).toMatch(/\/services\/api must NOT have additional properties.*depend_on/);
    const wrongType = load(`services:\n  api:\n    image: credits:latest\n    ports: 3000\n`);
    expect(wrongType.errors.join('\n')).toMatch(/\/services\/api\/ports must be array/);
  });
});

describe('compose interpolation rules', () => {
  const env = { SET: 'value', EMPTY: '', OTHER: 'other' };
  const value = (template: string) => {
    const r = load(`x-value: ${JSON.stringify(template)}\nservices: {}\n`, env);
    if (r.errors.length) return { error: r.errors.join('\n') };
    return (r.config as unknown as { 'x-value': string })['x-value'];
  };

  it('substitutes ${VAR} and $VAR, and an unset one as empty with a warning', () => {
    expect(value('a ${SET} $SET-$OTHER.')).toBe('a value value-other.');
    const r = load('x-value: "[${UNSET}]"\nservices: {}\n', env);
    expect(r.config?.['x-value']).toBe('[]');
    expect(r.warnings.join()).toContain('UNSET variable is not set');
  });

  it('applies :- and - defaults, :+ and + replacements, nested', () => {
    expect(value('${EMPTY:-d}|${EMPTY-d}|${UNSET-d}|${SET:-d}')).toBe('d||d|value');
    expect(value('${EMPTY:+r}|${EMPTY+r}|${UNSET+r}|${SET:+r}')).toBe('|r||r');
    expect(value('${UNSET:-${EMPTY:-${OTHER}}}')).toBe('other');
  });

  it('fails on :? when unset or empty and on ? when unset, with the message interpolated', () => {
    expect(value('${SET:?no}')).toBe('value');
    expect(value('${EMPTY?no}')).toBe('');
    expect(value('${EMPTY:?set it, not $OTHER}')).toEqual({
      error:
        'error while interpolating x-value: required variable EMPTY is missing a value: set it, not other',
    });
    expect(value('${UNSET?}')).toEqual({
      error: 'error while interpolating x-value: required variable UNSET is missing a value',
    });
  });

  it('reads $$ as a literal $, keeps a $ that starts no name, and interpolates values only', () => {
    expect(value('$$SET costs $5 ${SET}$$')).toBe('$SET costs $5 value$');
    const r = load('services:\n  a:\n    image: x\n    labels:\n      "${SET}": "${SET}"\n', env);
    expect(r.config?.services.a?.labels).toEqual({ '${SET}': 'value' });
  });

  it('rejects a malformed ${…}', () => {
    expect(value('${SET')).toEqual({ error: expect.stringContaining('no closing brace') });
    expect(value('${SET/a/b}')).toEqual({ error: expect.stringContaining('is not a variable') });
  });
});
