import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTemporal } from '../support/temporal.js';
import { launchBrowser } from './browser.js';
import { type Console, startConsole } from './support.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Refunds in the console: an approver refunds a completed purchase on the page; nobody else can. */
describe('web console: refunds', () => {
  const temporal = useTemporal();
  let web: Console;
  let browser: Browser;
  let ws: string;
  let purchaseId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [web, browser] = await Promise.all([startConsole(temporal.env().address, []), launchBrowser()]);
    ws = (await web.workspace()).id;
    const [pkg] = (await web.call('GET', '/v1/catalog')).body.packages as { key: string }[];
    const key = await web.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      name: 'sam',
      scopes: ['purchases:request'],
      memberId: 'sam',
    });
    const asked = await web.call(
      'POST',
      `/v1/workspaces/${ws}/purchases`,
      { package: pkg!.key },
      key.body.key,
    );
    expect(asked.status, JSON.stringify(asked.body)).toBeLessThan(300);
    purchaseId = asked.body.id;
    if (asked.body.status === 'pending_approval')
      expect((await web.call('POST', `/v1/purchases/${purchaseId}/approve`, { by: 'olga' })).status).toBe(
        200,
      );
    // Paid and credited by the purchase flow on the dev server.
    for (let t = 0; t < 180; t++) {
      if ((await web.call('GET', `/v1/purchases/${purchaseId}`)).body.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await web.call('GET', `/v1/purchases/${purchaseId}`)).body.status).toBe('completed');
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await web?.stop();
  });

  async function signedIn(memberId: string, width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(await web.loginLink(ws, memberId));
    await page.getByRole('button', { name: 'Continue to the console' }).click();
    await page.waitForURL(`${web.base}/app`);
    return page;
  }

  it('a member sees no Refund button, and the server refuses a forged refund', async () => {
    const page = await signedIn('sam');
    await page.goto(`${web.base}/app/purchases`);
    expect(await page.getByRole('button', { name: /^Refund/ }).count()).toBe(0);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const status = await page.evaluate(
      async ([token, id]) =>
        (
          await fetch(`/app/purchases/${id}/refund`, {
            method: 'POST',
            body: new URLSearchParams({ _csrf: token! }),
          })
        ).status,
      [csrf, purchaseId],
    );
    expect(status).toBe(403);
    expect((await web.call('GET', `/v1/purchases/${purchaseId}`)).body.status).toBe('completed');
  }, 60_000);

  it('the owner refunds a completed purchase on the page and sees its credits and amount', async () => {
    const page = await signedIn('olga', 390);
    await page.goto(`${web.base}/app/purchases`);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return (result.violations as { id: string; impact: string }[])
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id);
    });
    expect(violations).toEqual([]);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: new RegExp(`^Refund .*\\(${purchaseId}\\)`) }).click();
    const notice = await page.getByRole('status').textContent();
    const after = (await web.call('GET', `/v1/purchases/${purchaseId}`)).body;
    expect(after.status).toMatch(/refunded/);
    // The purchase's own credits, none of them used, all voided; its price paid back.
    const match = /^Refunded ([\d,]+) credits and (\d+(?:\.\d+)?) ([A-Z]{3})\.$/.exec(notice ?? '');
    expect(match, String(notice)).not.toBeNull();
    expect(Number(match![1]!.replaceAll(',', ''))).toBe(after.credits);
    expect(Number(match![2])).toBe(Number(after.price));
    expect(match![3]).toBe(after.currency);
    expect(await page.getByTestId('status').textContent()).toMatch(/refunded/);
    expect(await page.getByRole('button', { name: /^Refund/ }).count()).toBe(0);
  }, 120_000);
});
