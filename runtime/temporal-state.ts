import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemporalTarget } from '../workflows/connection.js';

/**
 * Where `npm start` tells other processes on the same data folder (a second terminal's
 * `credits chat`) which Temporal dev server it runs: `<data dir>/temporal/server.json`.
 */
export function temporalStateFile(dataDir: string): string {
  return join(dataDir, 'temporal', 'server.json');
}

interface TemporalState {
  address: string;
  namespace: string;
  /** The process that runs the dev server (and its worker): the state is stale once it is gone. */
  pid: number;
}

/** Records the dev server this process runs; written beside and renamed, so a reader never sees half. */
export function writeTemporalState(dataDir: string, target: TemporalTarget, pid = process.pid): void {
  const file = temporalStateFile(dataDir);
  const state: TemporalState = { address: target.address, namespace: target.namespace, pid };
  writeFileSync(`${file}.${pid}.partial`, JSON.stringify(state));
  renameSync(`${file}.${pid}.partial`, file);
}

export function removeTemporalState(dataDir: string, pid = process.pid): void {
  const file = temporalStateFile(dataDir);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as TemporalState).pid === pid) unlinkSync(file);
  } catch {
    // absent or unreadable: nothing of ours to remove
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The dev server a running `npm start` recorded for this data folder, or null (none, or its process is gone). */
export function recordedTemporal(dataDir: string): TemporalTarget | null {
  let state: Partial<TemporalState>;
  try {
    state = JSON.parse(readFileSync(temporalStateFile(dataDir), 'utf8')) as Partial<TemporalState>;
  } catch {
    return null;
  }
  if (typeof state.address !== 'string' || typeof state.namespace !== 'string') return null;
  if (typeof state.pid !== 'number' || !Number.isSafeInteger(state.pid) || !alive(state.pid)) return null;
  return { address: state.address, namespace: state.namespace };
}
