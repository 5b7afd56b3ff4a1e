import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/**
 * Checks responses against an OpenAPI 3.1 document, like a Prism proxy in front of the API: the
 * operation is found by method and path template, the status must be documented for it, and a JSON
 * body must match that response's schema (JSON Schema 2020-12, formats included).
 */
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked loosely
type Doc = any;

const COMPONENTS_ID = 'https://credits.invalid/openapi/components';

export interface ResponseSeen {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
  text: string;
}

export class ContractValidator {
  /** Responses checked against a documented operation, and responses outside the document. */
  readonly counts = { validated: 0, outside: 0 };
  private readonly ajv: Ajv2020;
  private readonly routes: { method: string; template: string; pattern: RegExp; operation: Doc }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Doc) {
    const doc = rewriteRefs(structuredClone(document));
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: doc.components?.schemas ?? {} });
    for (const [template, item] of Object.entries<Doc>(doc.paths ?? {})) {
      const literal = template.split(/\{[^}]+\}/).map(escapeRegExp);
      const pattern = new RegExp(`^${literal.join('[^/]+')}$`);
      for (const [method, operation] of Object.entries<Doc>(item)) {
        if (['get', 'put', 'post', 'patch', 'delete'].includes(method)) {
          this.routes.push({ method: method.toUpperCase(), template, pattern, operation });
        }
      }
    }
    // Literal segments win over parameters (`/v1/workspaces/x/balance` before `/v1/workspaces/{ws}`).
    this.routes.sort((a, b) => paramCount(a.template) - paramCount(b.template));
  }

  /** Problems with one response; empty when it conforms. Counts the response either way. */
  check(seen: ResponseSeen): string[] {
    const path = seen.path.split('?')[0]!;
    const route = this.routes.find((r) => r.method === seen.method.toUpperCase() && r.pattern.test(path));
    if (!route) {
      this.counts.outside++;
      return [];
    }
    this.counts.validated++;
    const where = `${seen.method.toUpperCase()} ${route.template} → ${seen.status}`;
    const responses = route.operation.responses ?? {};
    const key = [String(seen.status), `${String(seen.status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) return [`${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`];
    const content = responses[key].content as Record<string, { schema?: Doc }> | undefined;
    if (!content) {
      return seen.text === '' ? [] : [`${where}: documented without a body, got ${seen.text.slice(0, 80)}`];
    }
    const mediaType = (seen.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const documented = content[mediaType];
    if (!documented) {
      return [
        `${where}: content type ${mediaType || '(none)'} not documented (${Object.keys(content).join(', ')})`,
      ];
    }
    if (mediaType !== 'application/json' || !documented.schema) return [];
    const pointer = `${route.method} ${route.template} ${key}`;
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile(documented.schema);
      this.compiled.set(pointer, validate);
    }
    if (validate(seen.body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  }

  /** Every example in the document's component schemas, checked against its own schema. */
  checkExamples(): string[] {
    const problems: string[] = [];
    const schemas = (this.ajv.getSchema(COMPONENTS_ID)?.schema as Doc)?.$defs ?? {};
    for (const name of Object.keys(schemas)) {
      const example = schemas[name].example;
      if (example === undefined) continue;
      const validate = this.ajv.compile({ $ref: `${COMPONENTS_ID}#/$defs/${name}` });
      if (!validate(example)) problems.push(`${name}: example ${this.ajv.errorsText(validate.errors)}`);
    }
    return problems;
  }
}

function rewriteRefs(node: Doc): Doc {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      node[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
          ? `${COMPONENTS_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
          : rewriteRefs(v);
    }
  }
  return node;
}

const paramCount = (template: string) => (template.match(/\{/g) ?? []).length;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
