import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../runtime/temporal.js';
import { projectRoot, Service } from '../start/support.js';

/**
 * The image without Docker (no engine here): the Dockerfile's own instructions, read from it and
 * replayed in an empty folder standing for /app. The deps stage's COPY lines and its RUN line
 * (`npm ci --omit=dev --ignore-scripts …` then patch-package), the final stage's `COPY . .`
 * filtered by .dockerignore, its ENV, and its CMD started against the test PostgreSQL.
 */
interface Stage {
  copies: { from?: string; sources: string[]; dest: string }[];
  runs: string[];
  env: Record<string, string>;
  cmd?: string[];
}

function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const stage = stages.at(-1);
    switch (instruction!.toUpperCase()) {
      case 'FROM':
        stages.push({ copies: [], runs: [], env: {} });
        break;
      case 'COPY': {
        const parts = args.split(/\s+/);
        const from = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
        const dest = parts.pop()!;
        stage!.copies.push({ from, sources: parts, dest });
        break;
      }
      case 'RUN':
        stage!.runs.push(args);
        break;
      case 'ENV':
        for (const m of args.matchAll(/(\w+)=(\S+)/g)) stage!.env[m[1]!] = m[2]!;
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(args) as string[];
        break;
    }
  }
  return stages;
}

/** .dockerignore patterns as Docker reads them: relative to the context root, `*` within a segment. */
function dockerIgnore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      const re = p
        .replace(/^\/+|\/+$/g, '')
        .replace(/[.+^${}()|[\]]/g, '\\$&')
        .replace(/\*\*\//g, '%ANY_DIRS%')
        .replace(/\*\*/g, '.*')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replaceAll('%ANY_DIRS%', '(?:.*/)?');
      return new RegExp(`^${re}(?:/.*)?$`);
    });
  return (path) => patterns.some((re) => re.test(path));
}

function copyContext(from: string, to: string, ignored: (path: string) => boolean): void {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const rel = relative(from, abs);
      if (ignored(rel)) continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else {
        mkdirSync(dirname(join(to, rel)), { recursive: true });
        cpSync(abs, join(to, rel));
      }
    }
  };
  walk(from);
}

describe('the Dockerfile, replayed outside Docker', () => {
  const app = mkdtempSync(join(tmpdir(), 'credits-image-'));
  let service: Service | undefined;
  afterAll(async () => {
    await service?.destroy();
    rmSync(app, { recursive: true, force: true });
  });

  it('installs the runtime dependencies with the fix applied and serves /healthz from that tree', async () => {
    const [deps, final] = parseDockerfile(readFileSync(join(projectRoot, 'Dockerfile'), 'utf8'));
    expect(deps && final).toBeTruthy();
    for (const copy of deps!.copies) {
      for (const source of copy.sources) {
        const target =
          copy.dest.endsWith('/') || copy.dest === '.' ? join(app, copy.dest, source) : join(app, copy.dest);
        cpSync(join(projectRoot, source), target, { recursive: true });
      }
    }
    for (const run of deps!.runs) {
      const result = spawnSync('sh', ['-c', run], {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      expect(result.status, `${run}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    // The postgres.js fix is in the installed tree, and development tools are not.
    expect(readFileSync(join(app, 'node_modules/postgres/src/connection.js'), 'utf8')).toContain(
      'credits: patched for postgres#1154',
    );
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@temporalio/testing'))).toBe(false);

    // Final stage: node_modules from the deps stage (already here), then the filtered context.
    expect(final!.copies.map((c) => c.sources.join(' '))).toEqual(['/app/node_modules', '.']);
    copyContext(projectRoot, app, dockerIgnore(readFileSync(join(projectRoot, '.dockerignore'), 'utf8')));
    expect(existsSync(join(app, 'cli/main.ts'))).toBe(true);
    expect(existsSync(join(app, '.tools'))).toBe(false);

    const [command, ...args] = final!.cmd!;
    expect(command).toBe('node');
    const port = await freePort();
    service = new Service(
      process.execPath,
      args,
      {
        ...process.env,
        ...final!.env,
        PORT: String(port),
        DATABASE_URL: inject('databaseUrl'),
        OPERATOR_API_KEY: `op_${randomBytes(8).toString('hex')}`,
        TEMPORAL_ADDRESS: '',
      },
      app,
    );
    await service.waitFor('Credits API listening', 60_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    process.kill(service.pid, 'SIGTERM');
    expect((await service.exit()).code).toBe(0);
  }, 300_000);
});
