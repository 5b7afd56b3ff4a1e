import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTemporal } from '../support/temporal.js';
import { launchBrowser } from './browser.js';
import { type Console, startConsole } from './support.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Budget {
  id: string;
  subject: Record<string, string>;
  limit: number;
  raised: number;
  used: number;
  remaining: number;
}

/**
 * The console's Budgets page in a real browser against `credits start`'s composition on the
 * Temporal dev server: numbers against GET …/budgets, an owner sets a budget, a viewer is refused by
 * the server, a member asks for a raise and the owner approves it on the page, bad input, axe, 390 px.
 */
describe('web console: budgets', () => {
  const temporal = useTemporal();
  let web: Console;
  let browser: Browser;
  let ws: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [web, browser] = await Promise.all([startConsole(temporal.env().address, []), launchBrowser()]);
    ws = (await web.workspace()).id;
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
  const budgets = async () => (await web.call('GET', `/v1/workspaces/${ws}/budgets`)).body.items as Budget[];
  const outline = async () => (await budgets()).find((b) => b.subject.operation === 'outline');

  it('an owner creates a budget on the page, and the page shows what GET …/budgets answers', async () => {
    const page = await signedIn('olga');
    await page.getByRole('link', { name: 'Budgets' }).click();
    await page.waitForURL(`${web.base}/app/budgets`);
    await page.getByLabel('Applies to').selectOption('operation');
    await page.getByLabel(/^Which one/).fill('outline');
    await page.locator('form[action="/app/budgets"] select[name="period"]').selectOption('month');
    await page.getByLabel('Limit per period (credits)').fill('300');
    await page.getByRole('button', { name: 'Create budget' }).click();
    await page.waitForURL(`${web.base}/app/budgets?done=budgetSaved`);
    expect(await page.getByRole('status').textContent()).toContain('Budget saved.');
    expect((await outline())?.limit).toBe(300);

    // A member budget too, and spending that counts toward the operation's budget.
    expect(
      (
        await web.call('POST', `/v1/workspaces/${ws}/budgets`, {
          subject: { member: 'sam' },
          period: 'week',
          limit: 120,
        })
      ).status,
    ).toBe(201);
    for (let i = 0; i < 2; i++) {
      const r = await web.call('POST', `/v1/workspaces/${ws}/debits`, {
        operation: 'outline',
        idempotencyKey: `budget-page-${ws}-${i}`,
      });
      expect(r.status).toBe(201);
    }
    await page.reload();
    const expected = await budgets();
    expect(expected).toHaveLength(2);
    expect((await outline())!.used).toBeGreaterThan(0);
    const shown = (id: string, field: string) =>
      page.locator(`tr:has([data-budget="${id}"]) [data-field="${field}"]`).textContent();
    for (const b of expected) {
      expect(await shown(b.id, 'limit')).toBe((b.limit + b.raised).toLocaleString('en-US'));
      expect(await shown(b.id, 'used')).toBe(b.used.toLocaleString('en-US'));
      expect(await shown(b.id, 'remaining')).toBe(b.remaining.toLocaleString('en-US'));
    }
  }, 120_000);

  it('a zero limit gets the API’s 400 named on the page, and nothing is created', async () => {
    const page = await signedIn('olga');
    await page.goto(`${web.base}/app/budgets`);
    const before = (await budgets()).length;
    await page.getByLabel('Applies to').selectOption('member');
    await page.getByLabel(/^Which one/).fill('vic');
    await page.getByLabel('Limit per period (credits)').fill('0');
    const [reply] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create budget' }).click(),
    ]);
    expect(reply.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toMatch(/limit: must be at least 1/);
    expect((await budgets()).length).toBe(before);
  }, 60_000);

  it('a viewer sees budgets but cannot set one: no form, and the server refuses a forged post', async () => {
    const page = await signedIn('vic');
    await page.goto(`${web.base}/app/budgets`);
    expect(await page.getByRole('button', { name: 'Create budget' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Change/ }).count()).toBe(0);
    const before = (await budgets()).length;
    // The viewer's own session and CSRF token, posted straight to the action the menu hides.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const status = await page.evaluate(async (token) => {
      const body = new URLSearchParams({
        _csrf: token,
        kind: 'member',
        subject: 'vic',
        period: 'month',
        limit: '999',
      });
      return (await fetch('/app/budgets', { method: 'POST', body })).status;
    }, csrf);
    expect(status).toBe(403);
    const id = (await outline())!.id;
    const remove = await page.evaluate(
      async ([token, budget]) =>
        (
          await fetch(`/app/budgets/${budget}/delete`, {
            method: 'POST',
            body: new URLSearchParams({ _csrf: token! }),
          })
        ).status,
      [csrf, id],
    );
    expect(remove).toBe(403);
    expect((await budgets()).length).toBe(before);
  }, 60_000);

  it('a member asks for a raise on the page; the owner approves it there and the limit grows', async () => {
    const before = (await outline())!;
    const sam = await signedIn('sam');
    await sam.goto(`${web.base}/app/budgets`);
    // Sam may ask for the operation's budget and his own, never set one.
    expect(await sam.getByRole('button', { name: 'Create budget' }).count()).toBe(0);
    const form = sam.locator(`tr:has([data-budget="${before.id}"]) form[action$="/raises"]`);
    await sam.locator(`tr:has([data-budget="${before.id}"]) summary`).click();
    await form.getByLabel('Credits more this period').fill('200');
    await form.getByLabel('Why').fill('launch week');
    await form.getByRole('button', { name: 'Ask the approvers' }).click();
    await sam.waitForURL(`${web.base}/app/budgets?done=raiseAsked`);
    // Sam is no approver: the raise is listed without buttons.
    expect(await sam.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await expect
      .poll(async () => (await web.call('GET', `/v1/workspaces/${ws}/budget-raises`)).body.items.length)
      .toBe(1);
    // Nor may Sam approve his own raise by posting to the action with his session's token.
    const [raise] = (await web.call('GET', `/v1/workspaces/${ws}/budget-raises`)).body.items;
    const csrf = await sam.locator('input[name="_csrf"]').first().inputValue();
    const forged = await sam.evaluate(
      async ([token, id]) =>
        (
          await fetch(`/app/budget-raises/${id}/approve`, {
            method: 'POST',
            body: new URLSearchParams({ _csrf: token! }),
          })
        ).status,
      [csrf, raise.id],
    );
    expect(forged).toBe(403);
    expect((await outline())!.raised).toBe(0);

    const olga = await signedIn('olga');
    await olga.goto(`${web.base}/app/budgets`);
    await olga.getByRole('button', { name: /^Approve 200 more for operation outline/ }).click();
    await olga.waitForURL(`${web.base}/app/budgets?done=raiseApproved`);
    await expect.poll(async () => (await outline())!.raised, { timeout: 60_000 }).toBe(200);
    const after = (await outline())!;
    expect(after.remaining).toBe(before.remaining + 200);
    await olga.reload();
    expect(await olga.locator(`tr:has([data-budget="${after.id}"]) [data-field="limit"]`).textContent()).toBe(
      (after.limit + 200).toLocaleString('en-US'),
    );
    expect((await web.call('GET', `/v1/workspaces/${ws}/budget-raises`)).body.items).toEqual([]);
  }, 120_000);

  it('no serious or critical axe violation, and no sideways scrolling at 390 px', async () => {
    // A pending raise so the approver's buttons are on the page (and in the screenshots).
    const sam = await signedIn('sam');
    await sam.goto(`${web.base}/app/budgets`);
    const id = (await outline())!.id;
    await sam.locator(`tr:has([data-budget="${id}"]) summary`).click();
    const form = sam.locator(`tr:has([data-budget="${id}"]) form[action$="/raises"]`);
    await form.getByLabel('Credits more this period').fill('50');
    await form.getByLabel('Why').fill('one more batch');
    await form.getByRole('button', { name: 'Ask the approvers' }).click();
    await sam.waitForURL(/done=raiseAsked/);
    for (const [who, width] of [
      ['olga', 1280],
      ['olga', 390],
      ['sam', 390],
      ['vic', 390],
    ] as const) {
      const page = await signedIn(who, width);
      await page.goto(`${web.base}/app/budgets`);
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
        const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations, `${who} at ${width}px`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${who} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
      if (who === 'olga') {
        expect(await page.getByRole('button', { name: /^Approve 50 more/ }).count()).toBe(1);
        if (process.env.WEB_SCREENSHOTS) {
          await page.screenshot({
            path: `${process.env.WEB_SCREENSHOTS}/budgets-${width === 390 ? 'phone' : 'desktop'}.png`,
            fullPage: true,
          });
        }
      }
    }
  }, 180_000);
});
