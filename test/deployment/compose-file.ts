import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/**
 * What `docker-compose config` does to a compose file before anything runs, without the binary:
 * parse the YAML (anchors and `<<` merge keys), interpolate variables in values (never in keys)
 * by the Compose Specification's rules, then validate the result against its JSON schema
 * (vendored in ./compose-spec, see its README).
 */

export type Env = Record<string, string | undefined>;

/** One `${NAME…}` or `$NAME` reference met while interpolating. */
export interface VariableUse {
  name: string;
  /** `''` for `$NAME`/`${NAME}`, else one of `:-` `-` `:?` `?` `:+` `+`. */
  operator: string;
  /** The text after the operator (a default, an error message or a replacement), uninterpolated. */
  operand: string;
  path: string;
}

export interface ComposeResult {
  /** The interpolated file, or null when interpolation failed. */
  config: ComposeConfig | null;
  /** Interpolation errors (a required variable missing, a malformed `${…}`) and schema violations. */
  errors: string[];
  /** Unset variables used without a default: compose substitutes '' and warns. */
  warnings: string[];
  uses: VariableUse[];
}

export type PortSpec =
  | string
  | number
  | { target: number | string; published?: string | number; host_ip?: string };

export interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: PortSpec[];
  network_mode?: string;
  [key: string]: unknown;
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:[-?+]|[-?+])([\s\S]*))?$/;

class Interpolation {
  readonly uses: VariableUse[] = [];
  readonly warnings: string[] = [];
  constructor(private readonly env: Env) {}

  /** `template` with every variable substituted; throws on a missing required one or bad syntax. */
  substitute(template: string, path: string): string {
    let out = '';
    let i = 0;
    while (i < template.length) {
      const dollar = template.indexOf('$', i);
      if (dollar < 0) return out + template.slice(i);
      out += template.slice(i, dollar);
      const next = template[dollar + 1];
      if (next === '$') {
        out += '$';
        i = dollar + 2;
      } else if (next === '{') {
        const close = closingBrace(template, dollar + 2);
        if (close < 0) throw new Error(`invalid template ${JSON.stringify(template)}: no closing brace`);
        out += this.braced(template.slice(dollar + 2, close), template, path);
        i = close + 1;
      } else {
        const name = NAME.exec(template.slice(dollar + 1))?.[0];
        if (name) {
          out += this.value(name, path);
          i = dollar + 1 + name.length;
        } else {
          out += '$'; // not a variable: kept as written
          i = dollar + 1;
        }
      }
    }
    return out;
  }

  private braced(body: string, template: string, path: string): string {
    const m = BRACED.exec(body);
    if (!m) throw new Error(`invalid template ${JSON.stringify(template)}: \${${body}} is not a variable`);
    const [, name, operator = '', operand = ''] = m as unknown as [string, string, string?, string?];
    this.uses.push({ name, operator, operand, path });
    const value = this.env[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (operator) {
      case '':
        return this.value(name, path);
      case ':-':
        return nonEmpty ? value : this.substitute(operand, path);
      case '-':
        return set ? value : this.substitute(operand, path);
      case ':+':
        return nonEmpty ? this.substitute(operand, path) : '';
      case '+':
        return set ? this.substitute(operand, path) : '';
      default: {
        // `:?` and `?`: required.
        if (operator === ':?' ? nonEmpty : set) return value!;
        const reason = this.substitute(operand, path);
        throw new Error(`required variable ${name} is missing a value${reason ? `: ${reason}` : ''}`);
      }
    }
  }

  private value(name: string, path: string): string {
    const value = this.env[name];
    if (value === undefined) {
      this.warnings.push(`${path}: the ${name} variable is not set, defaulting to a blank string`);
      return '';
    }
    return value;
  }
}

/** Index of the `}` closing a `${` whose body starts at `from` (nested `${…}` allowed), or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function interpolateTree(
  value: unknown,
  path: string,
  interpolation: Interpolation,
  errors: string[],
): unknown {
  if (typeof value === 'string') {
    try {
      return interpolation.substitute(value, path);
    } catch (err) {
      errors.push(`error while interpolating ${path}: ${(err as Error).message}`);
      return value;
    }
  }
  if (Array.isArray(value))
    return value.map((v, i) => interpolateTree(v, `${path}[${i}]`, interpolation, errors));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        interpolateTree(v, path ? `${path}.${k}` : k, interpolation, errors),
      ]),
    );
  }
  return value;
}

let validator: ValidateFunction | undefined;
function validateSchema(config: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(
      readFileSync(new URL('./compose-spec/compose-spec.json', import.meta.url), 'utf8'),
    ) as object;
    validator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  if (validator(config)) return [];
  return (validator.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}

/** Loads compose YAML text as `docker-compose config` would with exactly `env` as the environment. */
export function loadCompose(text: string, env: Env): ComposeResult {
  const raw = parse(text, { merge: true }) as unknown;
  const interpolation = new Interpolation(env);
  const errors: string[] = [];
  const config = interpolateTree(raw, '', interpolation, errors) as ComposeConfig;
  const result = { errors, warnings: interpolation.warnings, uses: interpolation.uses };
  if (errors.length) return { config: null, ...result };
  errors.push(...validateSchema(config));
  return { config: errors.length ? null : config, ...result };
}

export interface Publication {
  service: string;
  /** '' for every interface of the host. */
  hostIp: string;
  published: string;
  target: string;
}

/**
 * Every port a service publishes on the host, short syntax (`[HOST_IP:][PUBLISHED:]TARGET[/PROTO]`)
 * or long syntax. A service on the host's network publishes every port it listens on.
 */
export function publications(config: ComposeConfig): Publication[] {
  const out: Publication[] = [];
  for (const [service, s] of Object.entries(config.services)) {
    if (s.network_mode === 'host') out.push({ service, hostIp: '', published: '*', target: '*' });
    for (const p of s.ports ?? []) {
      if (typeof p === 'object') {
        out.push({
          service,
          hostIp: p.host_ip ?? '',
          published: String(p.published ?? ''),
          target: String(p.target),
        });
        continue;
      }
      const spec = String(p).replace(/\/(tcp|udp|sctp)$/, '');
      const ipv6 = /^\[([^\]]*)\]:(.*)$/.exec(spec);
      const [hostIp, rest] = ipv6 ? [ipv6[1]!, ipv6[2]!] : ['', spec];
      const parts = rest.split(':');
      const target = parts.pop()!;
      const published = parts.pop() ?? '';
      out.push({ service, hostIp: ipv6 ? hostIp : (parts.pop() ?? ''), published, target });
    }
  }
  return out;
}

export const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
