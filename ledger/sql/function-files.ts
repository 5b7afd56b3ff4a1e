import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const functionsDir = fileURLToPath(new URL('./functions/', import.meta.url));

/** One `functions/<name>.sql`: the current definition of the SQL function `<name>`. */
export interface FunctionFile {
  name: string;
  /** As recorded in `schema_functions`: `functions/<name>.sql`. */
  path: string;
  text: string;
  checksum: string;
  /** The other files' functions its body calls (comments aside). */
  calls: string[];
}

/**
 * Every function file, each after the functions it calls: an SQL-language body is checked when it
 * is created, so what it calls must exist by then (PL/pgSQL resolves calls when it runs, but the
 * same order does no harm). A cycle is refused with the files that form it.
 */
export async function loadFunctionFiles(): Promise<FunctionFile[]> {
  const names = (await readdir(functionsDir))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
  const files = await Promise.all(
    names.map(async (name): Promise<FunctionFile> => {
      const text = await readFile(`${functionsDir}${name}.sql`, 'utf8');
      const path = `functions/${name}.sql`;
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`ledger/sql/${path}: name it after its function`);
      const defines = text.match(/CREATE\s+OR\s+REPLACE\s+FUNCTION\s+([a-z0-9_]+)\s*\(/gi) ?? [];
      if (defines.length !== 1 || !new RegExp(`FUNCTION\\s+${name}\\s*\\($`, 'i').test(defines[0]!)) {
        throw new Error(
          `ledger/sql/${path}: must hold one CREATE OR REPLACE FUNCTION ${name}(…), and only it`,
        );
      }
      return { name, path, text, checksum: checksumOf(text), calls: callsIn(text, name) };
    }),
  );
  const known = new Set(names);
  for (const f of files) f.calls = f.calls.filter((c) => known.has(c));
  return calleesFirst(files);
}

export function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function callsIn(text: string, self: string): string[] {
  const code = text.replace(/--[^\n]*/g, '');
  const called = new Set([...code.matchAll(/\b(credits_[a-z0-9_]+)\s*\(/g)].map((m) => m[1]!));
  called.delete(self);
  return [...called].sort();
}

function calleesFirst(files: FunctionFile[]): FunctionFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const done = new Set<string>();
  const visiting: string[] = [];
  const out: FunctionFile[] = [];
  const visit = (f: FunctionFile) => {
    if (done.has(f.name)) return;
    if (visiting.includes(f.name)) {
      const cycle = [...visiting.slice(visiting.indexOf(f.name)), f.name].join(' → ');
      throw new Error(`ledger/sql/functions: the functions call each other in a cycle (${cycle})`);
    }
    visiting.push(f.name);
    for (const c of f.calls) visit(byName.get(c)!);
    visiting.pop();
    done.add(f.name);
    out.push(f);
  };
  for (const f of files) visit(f);
  return out;
}
