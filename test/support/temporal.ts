import { createRequire } from 'node:module';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { ApiKeys } from '../../application/api-keys.js';
import type { Notification, Notifier } from '../../application/notifications.js';
import { WebAccess } from '../../application/web-access.js';
import { defaultCatalogPath, loadCatalog } from '../../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../../ledger/catalog/ledger-catalog.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import type { Sql } from '../../ledger/db.js';
import { type BalanceChange, Ledger } from '../../ledger/ledger.js';
import { Reports } from '../../ledger/reports.js';
import { WorkspaceDirectory } from '../../ledger/workspaces.js';
import type { AppContext } from '../../runtime/context.js';
import { bundleWorkflows } from '../../workflows/worker.js';

/**
 * A Temporal dev server for one test file, started from the same `temporal` CLI that `npm start`
 * uses, which the global setup provisioned (test/support/global-setup.ts).
 */
export async function startTestTemporal(): Promise<TestWorkflowEnvironment> {
  const path = inject('temporalCli');
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      log: { format: 'pretty', level: 'error' },
    },
  });
}

let runtimeInstalled = false;

/** Worker and workflow logs at WARN and above only (the suite's output stays readable). */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by an earlier caller in this process
  }
}

/** Starts the server and the workflow bundle once for the file (in parallel) and stops the server after. */
export function useTemporal(): { env: () => TestWorkflowEnvironment; bundle: () => WorkflowBundle } {
  let env: TestWorkflowEnvironment | undefined;
  let bundle: WorkflowBundle | undefined;
  beforeAll(async () => {
    [env, bundle] = await Promise.all([startTestTemporal(), bundleWorkflows()]);
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });
  return {
    env: () => env!,
    bundle: () => bundle!,
  };
}

/**
 * The default catalog plus what lifecycle tests need: a plan with capped rollover, one whose
 * changes apply immediately, and a package valid for one day.
 */
export function lifecycleCatalog(): Catalog {
  const base = loadCatalog(defaultCatalogPath());
  const solo = base.plans.find((p) => p.key === 'solo')!;
  return {
    ...base,
    plans: [
      ...base.plans,
      { ...solo, key: 'rollover', name: 'Rollover', credits: 500, rollover: { mode: 'capped', cap: 100 } },
      { ...solo, key: 'pro-now', name: 'Pro (immediate)', credits: 3000, planChange: 'immediate' },
    ],
    packages: [
      ...base.packages,
      { key: 'day-pass', name: 'Day pass', credits: 200, price: 20, validityDays: 1 },
    ],
  };
}

export interface TestContext extends AppContext {
  /** Called after every committed balance change of this ledger (tests wire the dispatcher here). */
  onBalanceChange: (listener: (c: BalanceChange) => void) => void;
}

export function testContext(
  sql: Sql,
  options: { cyclePeriodMs?: number; catalog?: Catalog } = {},
): TestContext {
  const catalog = options.catalog ?? lifecycleCatalog();
  const listeners: ((c: BalanceChange) => void)[] = [];
  const ledger = new Ledger(sql, ledgerCatalog(catalog), {
    cyclePeriodMs: options.cyclePeriodMs,
    onBalanceChange: (c) => {
      for (const l of listeners) l(c);
    },
  });
  const directory = new WorkspaceDirectory(sql, planKeys(catalog));
  return {
    sql,
    catalog,
    catalogFile: 'test',
    ledger,
    directory,
    reports: new Reports(sql),
    apiKeys: new ApiKeys({ store: ledger.apiKeys, directory }),
    webAccess: new WebAccess({ store: ledger.webAccess, directory }),
    close: async () => {},
    onBalanceChange: (l) => listeners.push(l),
  };
}

/** A notifier that remembers what it was asked to send (and can be told to fail). */
export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  failNext = 0;
  constructor(readonly name = 'recorder') {}
  async send(n: Notification): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated delivery failure');
    }
    this.sent.push(n);
  }
  of<K extends Notification['kind']>(kind: K, workspaceId?: string): Extract<Notification, { kind: K }>[] {
    return this.sent.filter(
      (n): n is Extract<Notification, { kind: K }> =>
        n.kind === kind && (!workspaceId || n.workspaceId === workspaceId),
    );
  }
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Parses a history saved by `temporal workflow show --output json`. Same as the SDK's
 * `historyFromJSON`, but with the protobufjs copy that `@temporalio/proto` itself loads: when npm
 * leaves one nested copy per @temporalio package (as in this tree), the SDK's helper mixes two
 * copies and fails with "type must be a Type".
 */
export function historyFromSavedJSON(json: unknown): unknown {
  const require = createRequire(import.meta.url);
  const protoRequire = createRequire(require.resolve('@temporalio/proto'));
  const { fromJson } = protoRequire('protobufjs/ext/protojson') as {
    fromJson: (type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }) => unknown;
  };
  const proto = require('@temporalio/proto');
  const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as {
    patchProtobufRoot: (root: unknown) => { lookupType(name: string): unknown };
  };
  return fromJson(patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History'), json, {
    ignoreUnknownFields: true,
  });
}
