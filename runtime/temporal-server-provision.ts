/**
 * The Temporal server itself (not the CLI's dev server) and its SQL schema tool, at the version the
 * compose file's `temporalio/server` and `temporalio/admin-tools` images carry, built from the Go
 * module once and kept outside the clone so a warm machine (or CI run) never builds again:
 *   $TEMPORAL_SERVER_DIR, default `$CREDITS_CACHE_DIR/temporal-server-<version>`, default
 *   CREDITS_CACHE_DIR = `~/.cache/credits`; holds `temporal-server` and `temporal-sql-tool`.
 * `npm run e2e:cluster` runs them; production runs the images. The same lock as the CLI's build
 * (runtime/temporal-provision.ts) makes a second process wait for the first instead of building
 * twice; binaries are checked (`--version`) and renamed into place, never half-written.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { acquireLock, installAtomically, run } from './temporal-provision.js';

/** Must equal the image tags in docker-compose.yml (test/deployment/temporal-version.test.ts). */
export const TEMPORAL_SERVER_VERSION = 'v1.32.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerTools {
  dir: string;
  server: string;
  sqlTool: string;
}

export interface ServerLookup {
  TEMPORAL_SERVER_DIR?: string;
  CREDITS_CACHE_DIR?: string;
  HOME?: string;
}

export function temporalServerDir(env: ServerLookup): string {
  if (env.TEMPORAL_SERVER_DIR) return env.TEMPORAL_SERVER_DIR;
  const cache = env.CREDITS_CACHE_DIR ?? join(env.HOME ?? homedir(), '.cache', 'credits');
  return join(cache, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function toolsIn(dir: string): TemporalServerTools {
  return { dir, server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool') };
}

function present(tools: TemporalServerTools): TemporalServerTools | null {
  return existsSync(tools.server) && existsSync(tools.sqlTool) ? tools : null;
}

/** The server and sql tool, built with Go the first time (about 5-10 minutes on 2 busy cores). */
export async function provisionTemporalServer(
  env: ServerLookup & { PATH?: string },
  log: (line: string) => void = console.log,
): Promise<TemporalServerTools & { built: boolean }> {
  const tools = toolsIn(temporalServerDir(env));
  if (present(tools)) return { ...tools, built: false };
  await mkdir(tools.dir, { recursive: true });
  const release = await acquireLock(join(tools.dir, 'provision.lock'), () =>
    present(tools) ? tools.server : null,
  );
  if (typeof release === 'string') return { ...tools, built: false };
  try {
    if (present(tools)) return { ...tools, built: false };
    log(
      `Building the Temporal server ${TEMPORAL_SERVER_VERSION} and its sql tool with Go into ${tools.dir} (once)…`,
    );
    const temp = await mkdtemp(join(tools.dir, 'build-'));
    try {
      for (const [command, target] of [
        ['cmd/server', tools.server],
        ['cmd/tools/sql', tools.sqlTool],
      ] as const) {
        const pkg = `${MODULE}/${command}@${TEMPORAL_SERVER_VERSION}`;
        const output = await run('go', ['install', '-ldflags', '-s -w', pkg], {
          // Go needs the whole environment (HOME, GOPATH, GOPROXY, GOCACHE…); only GOBIN is ours.
          // biome-ignore lint/style/noProcessEnv: handed to the go child as is
          ...process.env,
          GOBIN: temp,
          CGO_ENABLED: '0',
        });
        const built = join(temp, command.split('/').at(-1)!);
        if (!existsSync(built)) throw new Error(`go install ${pkg} produced no binary:\n${output}`);
        await installAtomically(built, target);
      }
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    return { ...tools, built: true };
  } finally {
    await release();
  }
}

// `node --import tsx runtime/temporal-server-provision.ts`: provision now and say where.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // biome-ignore lint/style/noProcessEnv: a command-line entry point reads its own environment
  provisionTemporalServer(process.env).then(
    (t) => console.log(`temporal-server: ${t.server}\ntemporal-sql-tool: ${t.sqlTool}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
