import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTemporal } from '../support/temporal.js';
import { launchBrowser } from './browser.js';
import { type Console, pageServer, startConsole } from './support.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The web console in a real browser (Chromium from @sparticuz/chromium, driven by playwright-core)
 * against `credits start`'s composition on the Temporal dev server and PostgreSQL.
 */
describe('web console', () => {
  const temporal = useTemporal();
  let web: Console;
  let browser: Browser;
  let ws: string;
  let other: string;
  let host: Awaited<ReturnType<typeof pageServer>>;
  let stranger: Awaited<ReturnType<typeof pageServer>>;
  const contexts: BrowserContext[] = [];
  // The widget's host pages read the token from their own URL (?token=…), as a host's backend would render it.
  const widgetPage = (
    origin: string,
  ) => `<!doctype html><html lang="en"><head><title>Host</title></head><body>
<h1>Host product</h1><credits-balance id="w"></credits-balance>
<script src="${web.base}/embed/credits.js"></script>
<script>document.getElementById('w').setAttribute('token', new URL(location.href).searchParams.get('token'));</script>
<p>${origin}</p></body></html>`;

  beforeAll(async () => {
    host = await pageServer(widgetPage);
    stranger = await pageServer(widgetPage);
    [web, browser] = await Promise.all([
      startConsole(temporal.env().address, [host.origin]),
      launchBrowser(),
    ]);
    ws = (await web.workspace()).id;
    other = (await web.workspace()).id;
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await host?.close();
    await stranger?.close();
  });

  async function signedIn(memberId: string, workspace = ws, options: { width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(await web.loginLink(workspace, memberId));
    await page.getByRole('button', { name: 'Continue to the console' }).click();
    await page.waitForURL(`${web.base}/app`);
    return page;
  }

  it('a link signs in once; used again or late it gets a clear page', async () => {
    const url = await web.loginLink(ws, 'olga');
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Continue to the console' }).click();
    await expect.poll(() => page.url()).toBe(`${web.base}/app`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');

    const again = await (await browser.newContext()).newPage();
    await again.goto(url);
    const [reply] = await Promise.all([
      again.waitForResponse((r) => r.request().method() === 'POST'),
      again.getByRole('button', { name: 'Continue to the console' }).click(),
    ]);
    expect(reply.status()).toBe(410);
    expect(await again.getByRole('heading', { level: 1 }).textContent()).toBe('This link was already used');
    await again.context().close();

    const late = await web.loginLink(ws, 'sam');
    await web.role.ctx.sql`UPDATE web_login_links SET expires_at = now() - interval '1 second'
                            WHERE member_id = 'sam' AND used_at IS NULL`;
    const expired = await (await browser.newContext()).newPage();
    await expired.goto(late);
    await expired.getByRole('button', { name: 'Continue to the console' }).click();
    await expect
      .poll(() => expired.getByRole('heading', { level: 1 }).textContent())
      .toBe('This link has expired');
    await expired.context().close();
  });

  it("the overview's numbers are GET …/balance and GET …/usage", async () => {
    const page = await signedIn('vic');
    const balance = (await web.call('GET', `/v1/workspaces/${ws}/balance`)).body;
    const day0 = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const usage = (await web.call('GET', `/v1/workspaces/${ws}/usage?from=${day0}T00:00:00Z`)).body;
    const shown = async (id: string) => (await page.getByTestId(id).textContent())?.replace(/,/g, '');
    expect(await shown('total')).toBe(String(balance.total));
    for (const type of ['subscription', 'purchased', 'promotional', 'trial']) {
      expect(await shown(`type-${type}`), type).toBe(String(balance.byType[type]));
    }
    expect(await shown('used-30')).toBe(String(usage.total));
    expect(usage.total).toBeGreaterThan(0);
    expect(await shown('next-expiry')).toBe(`${balance.nextExpiry.amount} credits`);
    // The chart: one focusable day per day, the tooltip says a day's numbers.
    expect(await page.locator('svg.chart g.day[tabindex="0"]').count()).toBe(30);
    await page.locator('svg.chart g.day[tabindex="0"]').last().focus();
    await expect
      .poll(() => page.locator('#chart-tip').textContent())
      .toMatch(/^\d{4}-\d{2}-\d{2}: \d+ credits/);
  });

  it('a member requests a package; the owner approves it with the keyboard alone; the credits arrive', async () => {
    // Purchased credits alone: the workspace's subscription grant may land at any moment of a busy run.
    const purchased = async () =>
      (await web.call('GET', `/v1/workspaces/${ws}/balance`)).body.byType.purchased as number;
    const before = await purchased();
    const sam = await signedIn('sam');
    await sam.goto(`${web.base}/app/purchases`);
    const pkg = (await web.call('GET', '/v1/catalog')).body.packages[0];
    await sam.getByRole('button', { name: `Request ${pkg.name}` }).click();
    await expect
      .poll(() => sam.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain('Purchase requested');
    // A member cannot approve: no button, and the server refuses the form.
    expect(await sam.getByRole('button', { name: /^Approve/ }).count()).toBe(0);

    const olga = await signedIn('olga');
    await olga.goto(`${web.base}/app/purchases`);
    const approve = olga.getByRole('button', { name: /^Approve/ }).first();
    const label = await approve.getAttribute('aria-label');
    let focused = '';
    for (let i = 0; i < 80 && focused !== label; i++) {
      await olga.keyboard.press('Tab');
      focused = await olga.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    }
    expect(focused).toBe(label);
    await olga.keyboard.press('Enter');
    await expect
      .poll(() => olga.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain('Purchase approved');
    await expect
      .poll(purchased, {
        timeout: 90_000,
      })
      .toBe(before + pkg.credits);
    // The flow grants the credits, then records the purchase completed: the two are not one write.
    await expect
      .poll(async () => (await web.call('GET', `/v1/workspaces/${ws}/purchases`)).body.items[0].status, {
        timeout: 30_000,
      })
      .toBe('completed');
    const history = await web.call('GET', `/v1/workspaces/${ws}/purchases`);
    expect(history.body.items[0]).toMatchObject({
      status: 'completed',
      decidedBy: 'olga',
      decidedVia: 'web',
    });
  }, 150_000);

  it('a viewer cannot open the keys page or approve: the server refuses, not just the menu', async () => {
    const vic = await signedIn('vic');
    expect(await vic.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    const keys = await vic.goto(`${web.base}/app/keys`);
    expect(keys?.status()).toBe(403);
    const requested = await web.call('POST', `/v1/workspaces/${ws}/purchases`, { package: 'small' });
    await vic.goto(`${web.base}/app/purchases`);
    const csrf = await vic.locator('input[name=_csrf]').first().inputValue();
    const forced = await vic.request.post(`${web.base}/app/purchases/${requested.body.id}/approve`, {
      form: { _csrf: csrf },
      headers: { origin: web.base },
    });
    expect(forced.status()).toBe(403);
    expect((await web.call('GET', `/v1/purchases/${requested.body.id}`)).body.status).toBe(
      'pending_approval',
    );
  });

  it("another workspace's ids in the URL are not found", async () => {
    const theirs = await web.call('POST', `/v1/workspaces/${other}/purchases`, { package: 'small' });
    const olga = await signedIn('olga');
    const csrf = await olga.locator('input[name=_csrf]').first().inputValue();
    expect((await olga.goto(`${web.base}/app/purchases/${theirs.body.id}`))?.status()).toBe(404);
    expect(await olga.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
    const forced = await olga.request.post(`${web.base}/app/purchases/${theirs.body.id}/approve`, {
      form: { _csrf: csrf },
      headers: { origin: web.base },
    });
    expect(forced.status()).toBe(404);
    expect((await web.call('GET', `/v1/purchases/${theirs.body.id}`)).body.status).toBe('pending_approval');
  });

  it('a forged cross-site POST is refused', async () => {
    const olga = await signedIn('olga');
    const before = (await web.call('GET', `/v1/workspaces/${ws}/purchases`)).body.items.length;
    const attacker = await pageServer(
      () => `<!doctype html><html lang="en"><head><title>Win</title></head><body>
<form id="f" method="post" action="${web.base}/app/purchases"><input name="package" value="small"></form>
<script>document.getElementById('f').submit()</script></body></html>`,
    );
    try {
      const [reply] = await Promise.all([
        olga.waitForResponse(
          (r) => r.url() === `${web.base}/app/purchases` && r.request().method() === 'POST',
        ),
        olga.goto(attacker.origin),
      ]);
      expect([401, 403]).toContain(reply.status());
      // Even with the session cookie and the right origin, a form without the page's token is refused.
      const noToken = await olga.request.post(`${web.base}/app/purchases`, {
        form: { package: 'small' },
        headers: { origin: web.base },
      });
      expect(noToken.status()).toBe(403);
      expect((await web.call('GET', `/v1/workspaces/${ws}/purchases`)).body.items.length).toBe(before);
    } finally {
      await attacker.close();
    }
  });

  it('bad filters get the API’s 400 as a message on the page', async () => {
    const olga = await signedIn('olga');
    for (const [query, says] of [
      ['from=last-tuesday', /from: must be an ISO-8601 date-time/],
      ['limit=100000', /limit: must be at most 200/],
      ['operation=%00', /operation: must not contain a NUL byte/],
    ] as const) {
      const reply = await olga.goto(`${web.base}/app/transactions?${query}`);
      expect(reply?.status(), query).toBe(400);
      expect(await olga.getByRole('alert').textContent(), query).toMatch(says);
    }
  });

  it('the widget renders on an allowed origin and is refused on another', async () => {
    const minted = await web.call('POST', `/v1/workspaces/${ws}/embed-tokens`, { ttlSeconds: 300 });
    expect(minted.status).toBe(201);
    const balance = (await web.call('GET', `/v1/workspaces/${ws}/balance`)).body.total as number;
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${host.origin}/?token=${minted.body.token}`);
    await expect.poll(() => page.locator('credits-balance').getAttribute('data-state')).toBe('ready');
    // Playwright's locators reach into the widget's (open) shadow root.
    expect((await page.locator('credits-balance [part=total]').textContent())?.replace(/,/g, '')).toBe(
      `${balance} credits`,
    );
    expect(
      await page.locator('credits-balance').getByRole('link', { name: 'Buy more' }).getAttribute('href'),
    ).toBe(`${web.base}/app/purchases`);
    const elsewhere = await context.newPage();
    await elsewhere.goto(`${stranger.origin}/?token=${minted.body.token}`);
    await expect.poll(() => elsewhere.locator('credits-balance').getAttribute('data-state')).toBe('error');
    const direct = await fetch(`${web.base}/embed/balance`, {
      headers: { origin: stranger.origin, authorization: `Bearer ${minted.body.token}` },
    });
    expect(direct.status).toBe(403);
    expect(direct.headers.get('access-control-allow-origin')).toBeNull();
  });

  const PAGES = [
    '/app',
    '/app/transactions',
    '/app/usage',
    '/app/purchases',
    '/app/settings',
    '/app/keys',
    '/app/audit',
  ];

  /**
   * A workspace of its own with a purchase that completed and one waiting for approval, both asked
   * for by Sam through a key bound to him: the pages (and the screenshots) show filled tables.
   */
  async function workspaceWithPurchases(): Promise<string> {
    const id = (await web.workspace()).id;
    const key = await web.call('POST', `/v1/workspaces/${id}/api-keys`, {
      name: 'sam',
      scopes: ['purchases:request'],
      memberId: 'sam',
    });
    expect(key.status).toBe(201);
    const ask = (pkg: string) =>
      web.call('POST', `/v1/workspaces/${id}/purchases`, { package: pkg }, key.body.key);
    const [small, medium] = (await web.call('GET', '/v1/catalog')).body.packages as { key: string }[];
    const done = await ask(small!.key);
    expect((await web.call('POST', `/v1/purchases/${done.body.id}/approve`, { by: 'olga' })).status).toBe(
      200,
    );
    await expect
      .poll(async () => (await web.call('GET', `/v1/purchases/${done.body.id}`)).body.status, {
        timeout: 90_000,
      })
      .toBe('completed');
    expect((await ask(medium!.key)).body.status).toBe('pending_approval');
    return id;
  }

  it('every page: no serious or critical axe violation, and no sideways scrolling at 390 px', async () => {
    const shots = await workspaceWithPurchases();
    for (const width of [1280, 390]) {
      const page = await signedIn('olga', shots, { width });
      for (const path of PAGES) {
        await page.goto(`${web.base}${path}`);
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
          const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
          return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect(violations, `${path} at ${width}px`).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        if (path === '/app/purchases') {
          expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(1);
          expect(await page.locator('span.status.completed').count()).toBe(1);
          expect(await page.locator('span.status.pending_approval').count()).toBe(1);
        }
        if (process.env.WEB_SCREENSHOTS) {
          const name = path === '/app' ? 'overview' : path.slice('/app/'.length);
          await page.screenshot({
            path: `${process.env.WEB_SCREENSHOTS}/${name}-${width === 390 ? 'phone' : 'desktop'}.png`,
            fullPage: true,
          });
        }
      }
    }
  }, 180_000);
});
