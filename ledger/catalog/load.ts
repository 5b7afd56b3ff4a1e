import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Catalog, catalogSchema } from './schema.js';

export interface CatalogProblem {
  /** Location inside the document, e.g. `operations[3].rule.tiers.flux-2-pro.cost`; empty for the whole file. */
  path: string;
  message: string;
  line?: number;
}

export class CatalogError extends Error {
  readonly file: string;
  readonly problems: CatalogProblem[];

  constructor(file: string, problems: CatalogProblem[]) {
    const lines = problems.map((p) => {
      const where = [p.path, p.line === undefined ? '' : `(line ${p.line})`].filter(Boolean).join(' ');
      return `  - ${where ? `${where}: ` : ''}${p.message}`;
    });
    const noun = problems.length === 1 ? 'problem' : 'problems';
    super(`Invalid catalog ${file}: ${problems.length} ${noun}\n${lines.join('\n')}`);
    this.name = 'CatalogError';
    this.file = file;
    this.problems = problems;
  }
}

type PathSegment = string | number;

export function loadCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CatalogError(file, [{ path: '', message: `cannot read the file: ${(err as Error).message}` }]);
  }
  return parseCatalog(text, file);
}

/** Parses JSON when the file name ends in `.json`, YAML otherwise. */
export function parseCatalog(text: string, fileName: string): Catalog {
  const isJson = extname(fileName).toLowerCase() === '.json';
  if (isJson) {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new CatalogError(fileName, [{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
    }
  }
  // YAML reads JSON too; going through it either way gives line numbers for every problem.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new CatalogError(
      fileName,
      doc.errors.map((e) => ({
        path: '',
        message: `not valid ${isJson ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`,
        line: e.linePos?.[0].line,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  const located = (path: PathSegment[], message: string): CatalogProblem => ({
    path: formatPath(path),
    message,
    line: lineOf(doc, lineCounter, path),
  });

  const parsed = catalogSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => located(issuePath(i), issueMessage(i)))),
    ...crossCheck(raw).map(([path, message]) => located(path, message)),
  ];
  if (problems.length > 0 || !parsed.success) {
    const byLine = (p: CatalogProblem) => p.line ?? Number.MAX_SAFE_INTEGER;
    throw new CatalogError(
      fileName,
      problems.sort((a, b) => byLine(a) - byLine(b)),
    );
  }
  return parsed.data;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, seg) => {
    if (typeof seg === 'number') return `${out}[${seg}]`;
    return out ? `${out}.${seg}` : seg;
  }, '');
}

function issuePath(issue: z.core.$ZodIssue): PathSegment[] {
  return issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') {
    return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
  }
  if (issue.code === 'invalid_union' && 'options' in issue) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    return `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  return issue.message;
}

function lineOf(doc: Document, counter: LineCounter, path: PathSegment[]): number | undefined {
  // A missing field has no node of its own: point at the closest existing parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

type Finding = [PathSegment[], string];

/**
 * Checks across entries (unique keys, references, aliases). Works on the raw document so these
 * problems are reported together with the shape problems instead of after they are fixed.
 */
function crossCheck(raw: unknown): Finding[] {
  if (!isRecord(raw)) return [];
  const findings: Finding[] = [];
  for (const section of ['plans', 'packages', 'operations'] as const) {
    findings.push(...duplicateKeys(raw[section], section));
  }
  const operations = asArray(raw.operations);
  const operationKeys = new Set(operations.map((op) => (isRecord(op) ? op.key : undefined)));
  findings.push(...aliasClashes(operations));

  operations.forEach((op, i) => {
    if (!isRecord(op)) return;
    asArray(op.alternatives).forEach((alt, j) => {
      if (typeof alt !== 'string') return;
      if (alt === op.key) {
        findings.push([['operations', i, 'alternatives', j], 'an operation cannot be its own alternative']);
      } else if (!operationKeys.has(alt)) {
        findings.push([['operations', i, 'alternatives', j], `no operation with key "${alt}"`]);
      }
    });
    if (isRecord(op.rule) && op.rule.type === 'tier' && isRecord(op.rule.tiers)) {
      findings.push(...tierNameClashes(op.rule.tiers, ['operations', i, 'rule', 'tiers']));
    }
  });

  if (isRecord(raw.campaign) && typeof raw.campaign.operation === 'string') {
    const ref = raw.campaign.operation;
    const op = operations.find((o) => isRecord(o) && o.key === ref);
    if (!op) {
      findings.push([['campaign', 'operation'], `no operation with key "${ref}"`]);
    } else if (isRecord(op) && isRecord(op.rule) && !campaignFriendly(op.rule)) {
      findings.push([
        ['campaign', 'operation'],
        `"${ref}" needs parameters; a campaign post must be priced by a fixed, per_unit (no param) or range (no param) operation`,
      ]);
    }
  }
  return findings;
}

function campaignFriendly(rule: Record<string, unknown>): boolean {
  if (rule.param !== undefined) return false;
  return rule.type === 'fixed' || rule.type === 'per_unit' || rule.type === 'range' || rule.type === 'free';
}

function duplicateKeys(list: unknown, section: string): Finding[] {
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  asArray(list).forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.key !== 'string') return;
    const first = seen.get(entry.key);
    if (first === undefined) seen.set(entry.key, i);
    else
      findings.push([
        [section, i, 'key'],
        `duplicate key "${entry.key}" (already used by ${section}[${first}])`,
      ]);
  });
  return findings;
}

/** Operation keys, names and aliases must not be ambiguous once normalised the way chat text is. */
function aliasClashes(operations: unknown[]): Finding[] {
  const owner = new Map<string, { index: number; key: unknown }>();
  const findings: Finding[] = [];
  operations.forEach((op, i) => {
    if (!isRecord(op)) return;
    const names: [PathSegment[], unknown][] = [
      [['key'], op.key],
      [['name'], op.name],
      ...asArray(op.aliases).map((a, j): [PathSegment[], unknown] => [['aliases', j], a]),
    ];
    for (const [path, value] of names) {
      if (typeof value !== 'string') continue;
      const norm = normalizeName(value);
      if (!norm) continue;
      const prev = owner.get(norm);
      if (prev === undefined) owner.set(norm, { index: i, key: op.key });
      else if (prev.index !== i) {
        findings.push([
          ['operations', i, ...path],
          `"${value}" already names operation "${String(prev.key)}"`,
        ]);
      }
    }
  });
  return findings;
}

function tierNameClashes(tiers: Record<string, unknown>, base: PathSegment[]): Finding[] {
  const owner = new Map<string, string>();
  const findings: Finding[] = [];
  for (const [tierKey, tier] of Object.entries(tiers)) {
    const names: [PathSegment[], unknown][] = [[[], tierKey]];
    if (isRecord(tier)) {
      names.push([['name'], tier.name]);
      asArray(tier.aliases).forEach((a, j) => {
        names.push([['aliases', j], a]);
      });
    }
    for (const [path, value] of names) {
      if (typeof value !== 'string') continue;
      const norm = normalizeName(value);
      const prev = owner.get(norm);
      if (prev === undefined) owner.set(norm, tierKey);
      else if (prev !== tierKey) {
        findings.push([[...base, tierKey, ...path], `"${value}" already names tier "${prev}"`]);
      }
    }
  }
  return findings;
}

/** "Veo 3.1", "veo-3-1" and "VEO31" all become "veo31". */
export function normalizeName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
