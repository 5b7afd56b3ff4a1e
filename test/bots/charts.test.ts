import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeeklyDigest } from '../../application/digest.js';
import { buildUsageChart, type UsageChartData } from '../../application/usage-chart.js';
import { startConsole } from '../../bots/console.js';
import { svgToPng } from '../../bots/core/charts/png.js';
import { renderUsageChart } from '../../bots/core/charts/usage-chart.js';
import { DiscordNotifier } from '../../bots/discord/bot.js';
import { SlackNotifier } from '../../bots/slack/app.js';
import { Reports } from '../../ledger/reports.js';
import { useTestDatabase } from '../support/db.js';
import { FakeDiscord } from './fakes/discord.js';
import { FakeSlackApi } from './fakes/slack.js';
import { expectUsageChartPng, pngStats } from './png.js';
import { botWorld, DAY } from './support.js';

const sql = useTestDatabase();

function sample(overrides: Partial<UsageChartData> = {}): UsageChartData {
  const days = Array.from({ length: 30 }, (_, i) =>
    new Date(Date.UTC(2026, 10, 2 + i)).toISOString().slice(0, 10),
  );
  return {
    workspaceId: 'acme',
    by: 'operation',
    days,
    series: [
      { name: 'Image generation', values: days.map((_, i) => (i * 7) % 40) },
      { name: 'Video generation', values: days.map((_, i) => (i % 5) * 12) },
      { name: 'Article (Pro Mode)', values: days.map(() => 5) },
    ],
    total: 1435,
    balance: 840,
    perDay: 50,
    renewal: { at: '2026-12-16T00:00:00.000Z', amount: 2000 },
    projection: Array.from({ length: 16 }, (_, d) => ({
      day: new Date(Date.UTC(2026, 11, 1 + d)).toISOString().slice(0, 10),
      balance: Math.max(0, 840 - 50 * d),
    })),
    runOutDay: null,
    runwayDays: 16.8,
    ...overrides,
  };
}

describe('the usage chart as a PNG', () => {
  it('decodes, is 960×600 and has bars, a line and text on it', () => {
    const chart = renderUsageChart(sample(), 'Acme');
    expect(chart.name).toBe('usage.png');
    expectUsageChartPng(chart.png);
    // The palette's first three colours fill the stacked bars.
    const { colours } = pngStats(chart.png);
    expect(colours).toBeGreaterThan(50);
    expect(chart.alt).toContain('Acme: 1,435 credits used over the last 30 days by operation');
    expect(chart.alt).toContain('runway 16 days, renewal on Dec 16 (+2,000)');
  });

  it('draws text with the shipped font, as glyphs rather than boxes', () => {
    // Without a font resvg draws no text at all; with a missing glyph, the same box for every
    // letter. Different words must therefore ink differently, and none may be blank.
    const inkOf = (word: string) =>
      pngStats(
        svgToPng(
          `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><text x="10" y="45" font-family="sans-serif" font-size="40">${word}</text></svg>`,
        ).png,
      ).inked;
    const [thin, wide, empty] = [inkOf('iiiiii'), inkOf('WWWWWW'), inkOf('')];
    expect(empty).toBe(0);
    expect(thin).toBeGreaterThan(0.01);
    expect(wide).toBeGreaterThan(thin * 2);
  });

  it('renders in well under a second (median of 10 after a warm-up)', () => {
    const data = sample();
    renderUsageChart(data, 'Acme');
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      renderUsageChart(data, 'Acme');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[5]!;
    console.log(`usage chart render: median ${median.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
    expect(median).toBeLessThan(1000);
  });

  it('still draws with no usage, a depleted balance and no renewal', () => {
    const empty = sample({
      series: [],
      total: 0,
      balance: 0,
      perDay: 0,
      renewal: null,
      runwayDays: null,
      runOutDay: '2026-12-01',
      projection: [{ day: '2026-12-01', balance: 0 }],
    });
    const chart = renderUsageChart(empty, 'Empty');
    expect(pngStats(chart.png).inked).toBeGreaterThan(0.005);
    expect(chart.alt).toContain('nothing used, no renewal scheduled');
  });
});

describe('the chart’s data', () => {
  it('per day and operation from the ledger, refunds on their day, the projection to the renewal', async () => {
    const w = botWorld(sql, new Date('2026-11-16T00:00:00Z'));
    const ws = await w.workspace();
    await w.ledger.grant(ws.id, {
      type: 'subscription',
      amount: 1000,
      expiresAt: new Date('2026-12-16T00:00:00Z'),
      reason: 'cycle',
      idempotencyKey: 'g',
    });
    w.set(new Date('2026-11-20T10:00:00Z'));
    await w.ledger.debit(ws.id, { operation: 'article-pro', idempotencyKey: 'a1', actor: 'member' });
    const image = await w.ledger.debit(ws.id, {
      operation: 'image',
      params: { model: 'flux-2-dev' },
      quantity: 2,
      idempotencyKey: 'i1',
      actor: 'admin',
    });
    w.set(new Date('2026-11-21T23:30:00Z'));
    await w.ledger.debit(ws.id, { operation: 'article-pro', idempotencyKey: 'a2', actor: 'member' });
    w.set(new Date('2026-11-22T08:00:00Z'));
    await w.ledger.reverse(image.transaction.id, { idempotencyKey: 'r1', amount: 50, reason: 'bad output' });
    w.set(new Date('2026-11-26T12:00:00Z'));

    const reports = new Reports(sql);
    const rows = await reports.dailyUsage(ws.id, {
      by: 'operation',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    });
    expect(rows).toEqual([
      { day: '2026-11-20', key: 'image', used: 100 },
      { day: '2026-11-20', key: 'article-pro', used: 20 },
      { day: '2026-11-21', key: 'article-pro', used: 20 },
      { day: '2026-11-22', key: 'image', used: -50 },
    ]);
    await expect(
      reports.dailyUsage(ws.id, { by: 'day' as never, from: new Date(0), to: new Date() }),
    ).rejects.toThrow(/by/);

    const data = await buildUsageChart(w.core.deps, ws.id, { now: w.now(), perDay: 10 });
    expect(data.days).toHaveLength(30);
    expect(data.days.at(-1)).toBe('2026-11-26');
    expect(data.days[0]).toBe('2026-10-28');
    const at = (day: string) => data.days.indexOf(day);
    const images = data.series.find((s) => s.name === 'Image generation')!;
    const articles = data.series.find((s) => s.name === 'Article (Pro Mode)')!;
    expect(images.values[at('2026-11-20')]).toBe(100);
    expect(images.values[at('2026-11-22')]).toBe(-50);
    expect(articles.values[at('2026-11-21')]).toBe(20);
    expect(data.total).toBe(90);
    expect(data.balance).toBe(910);
    expect(data.renewal?.at).toBe('2026-12-16T00:00:00.000Z');
    // From today (Nov 26) to the renewal (Dec 16): 20 days at 10/day.
    expect(data.projection[0]).toEqual({ day: '2026-11-26', balance: 910 });
    expect(data.projection.at(-1)).toEqual({ day: '2026-12-16', balance: 710 });
    expect(data.runOutDay).toBeNull();
    expect(data.runwayDays).toBeCloseTo(91);

    const byMember = await buildUsageChart(w.core.deps, ws.id, { now: w.now(), perDay: 100, by: 'member' });
    expect(byMember.series.map((s) => s.name).sort()).toEqual(['Admin Person', 'Member Person']);
    expect(byMember.runOutDay).toBe('2026-12-06');
  });
});

describe('the chart in the console and the weekly digest', () => {
  const slack = new FakeSlackApi();
  const discord = new FakeDiscord('digest-token', []);
  let dir: string;
  beforeAll(async () => {
    await Promise.all([slack.start(), discord.start()]);
    dir = await mkdtemp(join(tmpdir(), 'credits-charts-'));
  });
  afterAll(async () => {
    await Promise.all([slack.stop(), discord.stop(), rm(dir, { recursive: true, force: true })]);
  });

  async function usedWorkspace() {
    const w = botWorld(sql, new Date('2026-11-16T00:00:00Z'));
    const ws = await w.workspace();
    await w.ledger.grant(ws.id, {
      type: 'subscription',
      amount: 980,
      expiresAt: new Date('2026-12-16T00:00:00Z'),
      reason: 'cycle',
      idempotencyKey: 'c',
    });
    for (let d = 0; d < 5; d++) {
      await w.ledger.debit(ws.id, { operation: 'article-pro', idempotencyKey: `a${d}`, actor: 'member' });
      w.advance(DAY);
    }
    return { w, ws };
  }

  it('the console writes usage-<ws>-<date>.png under its charts folder and prints the path', async () => {
    const { w, ws } = await usedWorkspace();
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const charts = join(dir, 'charts');
    const done = startConsole(w.core.deps, {
      workspace: ws.id,
      member: 'owner',
      input,
      output,
      banner: false,
      chartsDir: charts,
    });
    input.end('usage by member\n');
    await done;
    const file = join(charts, `usage-${ws.id}-2026-11-21.png`);
    expect(text).toContain('used 100 credits in the last 30 days');
    expect(text).toContain(`Chart (960×600): `);
    expect(text).toContain(`usage-${ws.id}-2026-11-21.png`);
    expectUsageChartPng(await readFile(file));
  });

  it('the digest carries the chart: uploaded to Slack, attached on Discord, once per delivery', async () => {
    const { w, ws } = await usedWorkspace();
    const slackNotifier = new SlackNotifier({ core: w.core, token: slack.botToken, apiUrl: slack.apiUrl });
    const discordNotifier = new DiscordNotifier({
      core: w.core,
      token: discord.token,
      apiUrl: discord.apiUrl,
    });
    const digest = await buildWeeklyDigest(w.core.deps, ws.id, w.now());
    await Promise.all([slackNotifier.send(digest), discordNotifier.send(digest)]);
    await Promise.all([slackNotifier.send(digest), discordNotifier.send(digest)]);

    const post = slack.of('chat.postMessage').filter((c) => c.body.channel === ws.slackChannel);
    expect(post).toHaveLength(1);
    expect(post[0]!.body.text).toContain('Weekly credits digest');
    const files = slack.completedFiles(ws.slackChannel);
    expect(files).toHaveLength(1);
    expect(files[0]!.filename).toBe('usage.png');
    expect(files[0]!.bytes!.length).toBe(files[0]!.length);
    expectUsageChartPng(files[0]!.bytes!);

    const messages = discord.of('POST', new RegExp(`/channels/${ws.discordChannel}/messages$`));
    expect(messages).toHaveLength(1);
    const embed = (messages[0]!.body!.embeds as { image?: { url: string }; title?: string }[])[0]!;
    expect(embed.title).toBe('Weekly credits digest');
    expect(embed.image?.url).toBe('attachment://usage.png');
    expect(messages[0]!.files.map((f) => [f.field, f.filename, f.contentType])).toEqual([
      ['files[0]', 'usage.png', 'image/png'],
    ]);
    expectUsageChartPng(messages[0]!.files[0]!.bytes);
  });
});
