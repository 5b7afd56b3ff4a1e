import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTemporalCli, provisionTemporalCli } from '../../runtime/temporal-provision.js';
import { projectRoot } from '../start/support.js';

const root = mkdtempSync(join(tmpdir(), 'credits-provision-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function executable(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

// A closed port: the SDK's download is "unreachable" at once, as offline.
const offline = 'http://127.0.0.1:9/';

describe('Temporal CLI provisioning (runtime/temporal-provision.ts)', () => {
  it('looks at TEMPORAL_CLI, then PATH, then .tools/bin', () => {
    const dir = mkdtempSync(join(root, 'find-'));
    const fromEnv = executable(join(dir, 'env', 'temporal'), 'echo env');
    const onPath = executable(join(dir, 'path', 'temporal'), 'echo path');
    const tools = join(dir, 'tools');
    const inTools = executable(join(tools, 'bin', 'temporal'), 'echo tools');
    const path = `${join(dir, 'path')}:/usr/bin:/bin`;
    expect(findTemporalCli({ TEMPORAL_CLI: fromEnv, PATH: path }, tools)).toBe(fromEnv);
    expect(findTemporalCli({ PATH: path }, tools)).toBe(onPath);
    expect(findTemporalCli({ PATH: '/usr/bin:/bin' }, tools)).toBe(inTools);
    expect(findTemporalCli({ PATH: '/usr/bin:/bin' }, join(dir, 'none'))).toBeNull();
  });

  it('without Go and without the download, fails at once naming the three ways out', async () => {
    const started = Date.now();
    const err = await provisionTemporalCli({
      env: { PATH: '/nonexistent' },
      toolsDir: mkdtempSync(join(root, 'none-')),
      downloadUrl: offline,
      log: () => {},
    }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(String(err)).toMatch(/TEMPORAL_CLI/);
    expect(String(err)).toMatch(/install Go/);
    expect(String(err)).toMatch(/TEMPORAL_ADDRESS/);
  });

  it('two processes at once: Go builds once, nobody sees a half-written binary', async () => {
    const dir = mkdtempSync(join(root, 'go-'));
    const tools = join(dir, 'tools');
    const runs = join(dir, 'go-runs');
    // Stands in for `go install`: writes the binary slowly into GOBIN, as a real build's link step.
    executable(
      join(dir, 'gobin', 'go'),
      `echo "$*" >> ${runs}
out="$GOBIN/temporal"
printf '#!/bin/sh\\n' > "$out"; chmod 755 "$out"; sleep 1
printf 'echo "temporal version test"\\n' >> "$out"`,
    );
    const provision = () =>
      new Promise<{ code: number | null; output: string }>((ok) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            '-e',
            `import(${JSON.stringify(join(projectRoot, 'runtime/temporal-provision.ts'))})
              .then((m) => m.provisionTemporalCli({ env: process.env, toolsDir: ${JSON.stringify(tools)}, downloadUrl: ${JSON.stringify(offline)} }))
              .then((p) => console.log('FOUND ' + p))`,
          ],
          {
            cwd: projectRoot,
            env: { PATH: `${join(dir, 'gobin')}:/usr/bin:/bin` },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.once('exit', (code) => ok({ code, output }));
      });
    const target = join(tools, 'bin', 'temporal');
    const both = Promise.all([provision(), provision()]);
    // While the build runs, the target is either absent or complete.
    let sawPartial = false;
    const watch = setInterval(() => {
      if (existsSync(target) && !readFileSync(target, 'utf8').includes('temporal version test'))
        sawPartial = true;
    }, 20);
    const results = await both;
    clearInterval(watch);
    for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });
    for (const r of results) expect(r.output).toContain(`FOUND ${target}`);
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toEqual([
      'install -ldflags -s -w github.com/temporalio/cli/cmd/temporal@v1.5.1',
    ]);
    expect(
      results.map((r) => r.output.match(/Building the Temporal dev server/g)?.length ?? 0).sort(),
    ).toEqual([0, 1]);
    expect(sawPartial).toBe(false);
    expect(existsSync(join(tools, 'provision.lock'))).toBe(false);
  }, 60_000);
});
