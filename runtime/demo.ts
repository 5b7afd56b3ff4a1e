import { existsSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_KEY_SCOPES } from '../application/access.js';
import { cycleAt, cycleByIndex } from '../ledger/billing.js';
import { ledgerCatalog } from '../ledger/catalog/ledger-catalog.js';
import { Ledger, systemKey } from '../ledger/ledger.js';
import type { AppContext } from './context.js';
import { ensurePrivateDir, writePrivateFile } from './operator-key.js';

export const DEMO_WORKSPACE = 'demo';
export const DEMO_SLACK_TEAM = 'T_DEMO';
export const DEMO_DISCORD_GUILD = '100000000000000000';

const DAY = 24 * 3600 * 1000;

/** What people in the demo workspace do on a day, spread over the last weeks. */
const dailyWork: {
  actor: string;
  source: 'slack' | 'n8n' | 'api' | 'discord';
  operation: string;
  params?: Record<string, unknown>;
  quantity?: number;
}[] = [
  { actor: 'member:sam', source: 'slack', operation: 'image', params: { model: 'qwen-image' } },
  { actor: 'member:ana', source: 'api', operation: 'article-normal' },
  {
    actor: 'automation:n8n-blog',
    source: 'n8n',
    operation: 'content-post',
    params: { complexity: 'standard' },
    quantity: 3,
  },
  {
    actor: 'member:sam',
    source: 'discord',
    operation: 'image',
    params: { model: 'qwen-image' },
    quantity: 2,
  },
];

/**
 * Seeds the `demo` workspace (Business plan, billing anchor 20 days ago) with members, chat links
 * and four weeks of history written through the real ledger with a simulated clock: last
 * cycle's allocation and its expiry, this cycle's allocation, a purchased package, daily usage.
 * Returns false when the database already has workspaces (nothing is touched then).
 */
export async function seedDemo(ctx: AppContext, now = new Date()): Promise<boolean> {
  if (await ctx.directory.hasWorkspaces()) return false;
  const anchor = new Date(Math.floor((now.getTime() - 20 * DAY) / DAY) * DAY);
  await ctx.directory.createWorkspace({
    id: DEMO_WORKSPACE,
    name: 'Demo Studio',
    plan: 'business',
    status: 'active',
    billingAnchor: new Date(anchor.getTime() - 31 * DAY),
  });
  for (const m of [
    {
      id: 'demo-owner',
      name: 'Dana Owner',
      role: 'owner' as const,
      slackUserId: 'U_DEMO',
      discordUserId: '100000000000000001',
    },
    { id: 'ana', name: 'Ana Admin', role: 'admin' as const, slackUserId: 'U_ANA' },
    {
      id: 'sam',
      name: 'Sam Member',
      role: 'member' as const,
      slackUserId: 'U_SAM',
      discordUserId: '100000000000000002',
    },
    { id: 'vic', name: 'Vic Viewer', role: 'viewer' as const, slackUserId: 'U_VIC' },
  ]) {
    await ctx.directory.addMember(DEMO_WORKSPACE, m);
  }
  await ctx.directory.linkChat(DEMO_WORKSPACE, { platform: 'slack', team: DEMO_SLACK_TEAM });
  await ctx.directory.linkChat(DEMO_WORKSPACE, { platform: 'discord', team: DEMO_DISCORD_GUILD });

  const billingAnchor = new Date((await ctx.directory.workspace(DEMO_WORKSPACE)).billingAnchor);
  let clock = billingAnchor.getTime();
  const ledger = new Ledger(ctx.sql, ledgerCatalog(ctx.catalog), { clock: () => new Date(clock) });
  const plan = ctx.catalog.plans.find((p) => p.key === 'business')!;
  const current = cycleAt(billingAnchor, now);
  for (let index = 0; index <= current.index; index++) {
    const cycle = cycleByIndex(billingAnchor, index);
    clock = cycle.start.getTime();
    // New allocation first, then the old one's expiry: the balance never dips to 0 at renewal.
    await ledger.grant(DEMO_WORKSPACE, {
      type: 'subscription',
      amount: plan.credits,
      expiresAt: cycle.end,
      reason: `${plan.name} plan: monthly allocation`,
      // The key the subscription workflow uses: when it starts, it finds this cycle already granted.
      idempotencyKey: systemKey('cycle', DEMO_WORKSPACE, index),
      origin: { kind: 'plan_cycle', plan: plan.key, cycle: index },
      actor: 'workflow:subscription',
      source: 'workflow',
    });
    await ledger.expireDue({ workspaceId: DEMO_WORKSPACE });
    const last = index === current.index ? now.getTime() - DAY / 2 : cycle.end.getTime() - DAY;
    for (let day = cycle.start.getTime() + DAY / 3, n = 0; day < last; day += DAY, n++) {
      clock = day;
      if (index === current.index && n === 6) {
        await ledger.grant(DEMO_WORKSPACE, {
          type: 'purchased',
          amount: 1000,
          reason: 'Small package (demo purchase)',
          idempotencyKey: 'demo:purchase:small',
          origin: { kind: 'purchase', package: 'small' },
          actor: 'member:demo-owner',
          source: 'slack',
        });
      }
      for (const [i, work] of dailyWork.entries()) {
        if ((n + i) % 3 === 0 && i > 1) continue;
        clock = day + i * 3600 * 1000;
        await ledger
          .debit(DEMO_WORKSPACE, {
            operation: work.operation,
            params: work.params,
            quantity: work.quantity,
            idempotencyKey: `demo:${index}:${n}:${i}`,
            actor: work.actor,
            source: work.source,
          })
          .catch((err: unknown) => {
            // A catalog with other prices may run the demo dry; the history just stops there.
            if ((err as { code?: string }).code !== 'insufficient_credits') throw err;
          });
      }
    }
  }
  return true;
}

/**
 * The demo key: only its hash is in the database; the secret is kept (0600) in the git-ignored
 * data folder the first time it is made, and the banner shows it only then (`created`).
 */
export async function demoApiKey(
  ctx: AppContext,
  dataDir: string,
): Promise<{ key: string; file: string; created: boolean }> {
  const file = resolve(dataDir, 'demo-api-key');
  if (existsSync(file)) {
    await chmod(file, 0o600);
    const key = (await readFile(file, 'utf8')).trim();
    if (await ctx.ledger.apiKeys.authenticate(key)) return { key, file, created: false };
  }
  const { key } = await ctx.ledger.apiKeys.create({
    workspaceId: DEMO_WORKSPACE,
    name: 'demo (npm start)',
    scopes: DEFAULT_KEY_SCOPES,
  });
  await ensurePrivateDir(dataDir);
  await writePrivateFile(file, `${key}\n`);
  return { key, file, created: true };
}
