/**
 * Makes the Temporal CLI (the dev server of `npm start` and of the tests) available, so that
 * `npm ci` followed by `npm start` or `npm test` needs no other step. In order:
 *   1. TEMPORAL_CLI, then `temporal` on PATH, then `.tools/bin/temporal`;
 *   2. the SDK's download of the dev server, when temporal.download answers;
 *   3. a build of the pinned version with Go, when `go` is on PATH (once; later runs find it in 1);
 *   4. otherwise an error naming the ways out.
 * A download or build lands in a temporary folder and is renamed into `.tools/bin`, so two
 * processes provisioning at once never leave a half-written binary; a lock file makes the second
 * one wait for the first instead of building twice.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The version built with Go; tests, CI and `npm start` use the same binary. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const DOWNLOAD_HOST = 'https://temporal.download/';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const toolsDir = join(projectRoot, '.tools');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where the CLI is looked for (from the settings, runtime/config.ts). */
export interface CliLookup {
  TEMPORAL_CLI?: string;
  PATH?: string;
}

function onPath(name: string, env: CliLookup): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The `temporal` CLI: $TEMPORAL_CLI, then PATH, then `.tools/bin/temporal`; null if none. */
export function findTemporalCli(env: CliLookup, tools = toolsDir): string | null {
  const candidates = [env.TEMPORAL_CLI, onPath('temporal', env), join(tools, 'bin', 'temporal')];
  for (const c of candidates) if (c && isExecutable(c)) return resolve(c);
  return null;
}

export function missingTemporalMessage(): string {
  return (
    'The Temporal CLI (`temporal`) is missing: not in TEMPORAL_CLI, on PATH or in .tools/bin, the SDK could ' +
    'not download it (no access to temporal.download) and Go is not installed. Ways out: ' +
    '(1) install it (https://temporal.io/setup) and put it on PATH or set TEMPORAL_CLI to its path; ' +
    `(2) install Go (https://go.dev/dl) and run again: it builds ${TEMPORAL_CLI_VERSION} into .tools/bin once; ` +
    '(3) set TEMPORAL_ADDRESS to an existing Temporal server (npm start only).'
  );
}

export function requireTemporalCli(env: CliLookup): string {
  const found = findTemporalCli(env);
  if (!found) throw new Error(missingTemporalMessage());
  return found;
}

export interface ProvisionOptions {
  env: CliLookup;
  log?: (line: string) => void;
  /** Where `bin/temporal` goes (default the project's `.tools`). */
  toolsDir?: string;
  /** How long temporal.download may take to answer before the download is skipped. */
  probeTimeoutMs?: number;
  /** Where the SDK downloads from (tests point it at a closed port). */
  downloadUrl?: string;
}

/** The path of a working `temporal` CLI, provisioning it if needed (see the module comment). */
export async function provisionTemporalCli(options: ProvisionOptions): Promise<string> {
  const env = options.env;
  const tools = options.toolsDir ?? toolsDir;
  const log = options.log ?? ((line: string) => console.log(line));
  const found = findTemporalCli(env, tools);
  if (found) return found;
  await mkdir(join(tools, 'bin'), { recursive: true });
  const release = await acquireLock(join(tools, 'provision.lock'), () => findTemporalCli(env, tools));
  if (typeof release === 'string') return release; // another process provisioned it meanwhile
  try {
    const again = findTemporalCli(env, tools);
    if (again) return again;
    const target = join(tools, 'bin', 'temporal');
    if (await downloadReachable(options.downloadUrl ?? DOWNLOAD_HOST, options.probeTimeoutMs ?? 3000)) {
      log('Downloading the Temporal dev server with the Temporal SDK into .tools/bin (once)…');
      const downloaded = await sdkDownload(tools).catch((err: unknown) => {
        log(`The SDK's download failed (${err instanceof Error ? err.message : String(err)}).`);
        return null;
      });
      if (downloaded) {
        await installAtomically(downloaded, target);
        return target;
      }
    }
    const go = onPath('go', env);
    if (go) {
      log(
        `Building the Temporal dev server ${TEMPORAL_CLI_VERSION} with Go into .tools/bin (once, about 3.5 minutes cold)…`,
      );
      await goBuild(go, tools, target);
      return target;
    }
    throw new Error(missingTemporalMessage());
  } finally {
    await release();
  }
}

/** True when temporal.download answers within the timeout (false offline, fast: DNS fails at once). */
async function downloadReachable(url: string, timeoutMs: number): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** Lets the SDK download (and cache) the dev server, then returns the downloaded executable. */
async function sdkDownload(tools: string): Promise<string | null> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const downloadDir = join(tools, 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir }, ip: '127.0.0.1' },
  });
  await env.teardown();
  const files = readdirSync(downloadDir)
    .map((f) => join(downloadDir, f))
    .filter(isExecutable)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ?? null;
}

async function goBuild(go: string, tools: string, target: string): Promise<void> {
  const temp = await mkdtemp(join(tools, 'build-'));
  try {
    const output = await run(go, ['install', '-ldflags', '-s -w', MODULE], {
      // Go needs the whole environment (HOME, GOPATH, GOPROXY, GOCACHE…); only GOBIN is ours.
      // biome-ignore lint/style/noProcessEnv: handed to the go child as is
      ...process.env,
      GOBIN: temp,
      CGO_ENABLED: '0',
    });
    const built = join(temp, 'temporal');
    if (!isExecutable(built)) throw new Error(`go install ${MODULE} produced no binary:\n${output}`);
    await installAtomically(built, target);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Checks that `source` runs, then moves it to `target` in one rename (same folder as the target). */
export async function installAtomically(source: string, target: string): Promise<void> {
  const version = spawnSync(source, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) throw new Error(`${source} --version failed: ${version.stderr || version.error}`);
  const staging = `${target}.${process.pid}.tmp`;
  await copyFile(source, staging);
  const handle = await open(staging, 'r+');
  await handle.chmod(0o755);
  await handle.sync();
  await handle.close();
  await rename(staging, target);
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      code === 0
        ? ok(output)
        : fail(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${output}`)),
    );
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock file holding the owner's pid. While another live process holds it, waits
 * (checking `done` for the result of its work); a lock left by a dead process is taken over.
 */
export async function acquireLock(
  path: string,
  done: () => string | null,
): Promise<string | (() => Promise<void>)> {
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(path).catch(() => {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (owner && !alive(owner)) {
      await unlink(path).catch(() => {});
      continue;
    }
    const result = done();
    if (result) return result;
    await new Promise((r) => setTimeout(r, 500));
    if (!existsSync(path)) {
      const after = done();
      if (after) return after;
    }
  }
}

// `npm run setup:temporal`: provision now and say where it is.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { loadConfig } = await import('./config.js');
  const config = loadConfig();
  provisionTemporalCli({ env: { TEMPORAL_CLI: config.TEMPORAL_CLI, PATH: config.PATH } }).then(
    (path) => console.log(`temporal: ${path}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
