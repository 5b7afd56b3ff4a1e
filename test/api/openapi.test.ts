import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../integrations/api/app.js';
import { ConfigError, loadConfig } from '../../runtime/config.js';
import { createContext } from '../../runtime/context.js';
import { apiFor } from '../../runtime/roles/api.js';
import { StopStack } from '../../runtime/stop-stack.js';
import { COMMITTED, drift, servedDocument } from '../../scripts/openapi.js';
import { ContractValidator } from './contract-validator.js';
import { useApi } from './support.js';

const api = await useApi();
const doc = (await api.call('GET', '/openapi.json', { key: null })).body;

const OPERATION_IDS = [
  'receiveStripeWebhook',
  'createWorkspace',
  'listWorkspaces',
  'getWorkspace',
  'updateWorkspace',
  'createMember',
  'listMembers',
  'createChatLink',
  'listChatLinks',
  'createApiKey',
  'getAlerts',
  'putAlerts',
  'getBalance',
  'listLots',
  'createDebit',
  'createGrant',
  'createAdjustment',
  'getTransaction',
  'reverseTransaction',
  'listTransactions',
  'getUsage',
  'createHold',
  'getHold',
  'captureHold',
  'releaseHold',
  'getCatalog',
  'getWhoami',
  'createEstimate',
  'getAffordability',
  'createPurchase',
  'getPurchase',
  'approvePurchase',
  'rejectPurchase',
  'getAutoTopUp',
  'putAutoTopUp',
  'getHealth',
  'getMetrics',
  'listApiKeys',
  'revokeApiKey',
  'getAudit',
  'getWebhook',
  'putWebhook',
  'rotateWebhookSecret',
  'deleteWebhook',
  'createLoginLink',
  'createEmbedToken',
  'listPurchases',
  'createBudgetRaise',
  'getBudgetRaise',
  'listBudgetRaises',
  'approveBudgetRaise',
  'rejectBudgetRaise',
  'refundPurchase',
  'voidLot',
  'getRevenueReport',
  'createBudget',
  'listBudgets',
  'getBudget',
  'updateBudget',
  'deleteBudget',
];

// biome-ignore lint/suspicious/noExplicitAny: the document is read loosely
const operations = (): { method: string; path: string; op: any }[] =>
  // biome-ignore lint/suspicious/noExplicitAny: the document is read loosely
  Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    // biome-ignore lint/suspicious/noExplicitAny: the document is read loosely
    Object.entries<any>(item).map(([method, op]) => ({ method, path, op })),
  );

describe('/openapi.json as a contract for client generators', () => {
  it('names every operation with a stable operationId, a defined tag, a summary and its 4xx answers', () => {
    const ops = operations();
    expect(ops.map((o) => o.op.operationId).sort()).toEqual([...OPERATION_IDS].sort());
    const tags = new Set(doc.tags.map((t: { name: string; description: string }) => t.name));
    for (const { method, path, op } of ops) {
      const where = `${method} ${path}`;
      expect(op.tags?.length, where).toBeGreaterThan(0);
      for (const tag of op.tags) expect(tags.has(tag), `${where} tag ${tag}`).toBe(true);
      expect(op.summary, where).toMatch(/\S/);
      if (path !== '/healthz' && path !== '/metrics') {
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('4')),
          where,
        ).toBe(true);
      }
    }
  });

  it('has license, contact and examples on the main request bodies', () => {
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    expect(doc.info.contact.email).toMatch(/@/);
    for (const name of ['DebitRequest', 'GrantRequest', 'HoldRequest', 'CaptureRequest', 'EstimateRequest']) {
      expect(doc.components.schemas[name].example, name).toBeDefined();
    }
    expect(new ContractValidator(doc).checkExamples()).toEqual([]);
  });

  it('lists the configured PUBLIC_URL as the server, else the address listened on, else relative', async () => {
    expect(doc.servers).toEqual([{ url: '/', description: 'This Credits API' }]);
    const behindProxy = createApp({ ...api.ctx, publicUrl: 'https://credits.acme.test/' });
    const served = await (await behindProxy.request('/openapi.json')).json();
    expect(served.servers).toEqual([{ url: 'https://credits.acme.test', description: 'This Credits API' }]);
  });

  it('PUBLIC_URL from the settings reaches the served document through the composition root', async () => {
    const ctx = createContext({ databaseUrl: 'postgres://unused@127.0.0.1:9/never-connected' });
    const stops = new StopStack();
    stops.push('pool', () => ctx.close());
    try {
      const config = loadConfig({ PORT: '0', PUBLIC_URL: 'https://credits.acme.test/api' });
      const server = await apiFor(ctx, config, { defaultHost: '127.0.0.1' }, stops);
      const served = await (await fetch(`${server.url}/openapi.json`)).json();
      expect(served.servers).toEqual([
        { url: 'https://credits.acme.test/api', description: 'This Credits API' },
      ]);
      const unset = await apiFor(ctx, loadConfig({ PORT: '0' }), { defaultHost: '127.0.0.1' }, stops);
      const reached = await (await fetch(`${unset.url}/openapi.json`)).json();
      expect(reached.servers).toEqual([{ url: unset.url, description: 'This Credits API' }]);
    } finally {
      await stops.stop();
    }
  });

  it('PUBLIC_URL is validated with the other settings', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://credits.acme.test' }).PUBLIC_URL).toBe(
      'https://credits.acme.test',
    );
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    expect(() => loadConfig({ PUBLIC_URL: 'credits.acme.test' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://credits.acme.test' })).toThrow(
      /PUBLIC_URL: must be an http/,
    );
  });
});

describe('/docs', () => {
  it('is an HTML page whose scripts and styles are all served by this API (no CDN)', async () => {
    const page = await api.app.request('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) expect(ref, ref).toMatch(/^\.\/(docs\/assets\/|openapi\.json$)/);
    expect(html).not.toMatch(/https?:\/\/|\/\/cdn/);
    const scripts = refs.filter((r) => r.endsWith('.js'));
    expect(scripts.length).toBe(2);
    for (const ref of refs) {
      const res = await api.app.request(new URL(ref, 'http://localhost/docs').pathname);
      expect(res.status, ref).toBe(200);
      if (ref.endsWith('.js')) expect(res.headers.get('content-type'), ref).toMatch(/^text\/javascript/);
      if (ref.endsWith('.css')) expect(res.headers.get('content-type'), ref).toMatch(/^text\/css/);
    }
    const bundle = await api.app.request('/docs/assets/swagger-ui-bundle.js');
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const init = await (await api.app.request('/docs/assets/init.js')).text();
    expect(init).toContain("url: './openapi.json'");
    expect((await api.app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await api.app.request('/docs/assets/index.html')).status).toBe(404);
  });
});

describe('committed contract files (contract/openapi.json, contract/openapi-types.ts)', () => {
  it('match what the server serves', async () => {
    expect(await drift(COMMITTED)).toEqual([]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'credits-drift-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the drift check fails on a deliberately changed schema, naming the file and the line', async () => {
    const copy = {
      document: join(dir, 'openapi.json'),
      types: COMMITTED.types.map((f, i) => join(dir, `${i}-${basename(f)}`)),
    };
    cpSync(COMMITTED.document, copy.document);
    COMMITTED.types.forEach((f, i) => {
      cpSync(f, copy.types[i]!);
    });
    const served = await servedDocument();
    expect(await drift(copy, served)).toEqual([]);

    // A committed document whose Balance lost a field: the document is reported.
    const edited = JSON.parse(readFileSync(copy.document, 'utf8'));
    delete edited.components.schemas.Balance.properties.held;
    writeFileSync(copy.document, `${JSON.stringify(edited, null, 2)}\n`);
    const documentDrift = await drift(copy, served);
    expect(documentDrift.map((p) => p.file)).toEqual([copy.document]);
    expect(documentDrift[0]!.problem).toMatch(/^line \d+: committed/);

    // The server's schema changes but nothing is regenerated: every committed file is reported.
    cpSync(COMMITTED.document, copy.document);
    const changed = structuredClone(served) as {
      components: { schemas: Record<string, { properties: object }> };
    };
    changed.components.schemas.Balance!.properties = {
      ...changed.components.schemas.Balance!.properties,
      overdraft: { type: 'integer' },
    };
    expect((await drift(copy, changed)).map((p) => p.file)).toEqual([copy.document, ...copy.types]);

    // A hand edit of the generated types is caught too.
    cpSync(COMMITTED.types[0]!, copy.types[0]!);
    const types = readFileSync(copy.types[0]!, 'utf8');
    writeFileSync(copy.types[0]!, types.replace('held: number;', 'held: string;'));
    expect((await drift(copy, served)).map((p) => p.file)).toEqual([copy.types[0]]);
  });
});

describe('the contract validator wrapped around the API test suites', () => {
  it('fails responses that break the document, and counts those it checked', () => {
    const validator = new ContractValidator(doc);
    const balance = {
      workspaceId: 'acme',
      total: 5,
      byType: { subscription: 5, promotional: 0, trial: 0, purchased: 0 },
      held: 0,
      nextExpiry: null,
      renewal: null,
      lifetimeUsed: 0,
      lastTransaction: null,
    };
    const seen = (status: number, body: unknown, path = '/v1/workspaces/acme/balance') => ({
      method: 'GET',
      path,
      status,
      contentType: 'application/json',
      body,
      text: JSON.stringify(body),
    });
    expect(validator.check(seen(200, balance))).toEqual([]);
    expect(validator.check(seen(200, { ...balance, total: '5' })).join()).toMatch(
      /body\/total must be integer/,
    );
    const { held: _held, ...withoutHeld } = balance;
    expect(validator.check(seen(200, withoutHeld)).join()).toMatch(/must have required property 'held'/);
    expect(validator.check(seen(418, {})).join()).toMatch(/status not documented/);
    expect(validator.check(seen(404, { error: { code: 'not_found' } })).join()).toMatch(/message/);
    expect(validator.check({ ...seen(200, balance), contentType: 'text/html' }).join()).toMatch(
      /content type/,
    );
    expect(validator.check(seen(200, {}, '/not/in/the/document'))).toEqual([]);
    expect(validator.counts).toEqual({ validated: 6, outside: 1 });
  });
});
