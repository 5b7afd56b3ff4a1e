import { randomBytes } from 'node:crypto';
import type { Notification } from '../../application/notifications.js';
import type { Purchase, Purchases } from '../../application/purchases.js';
import { BotCore } from '../../bots/core/core.js';
import { defaultCatalogPath, loadCatalog } from '../../ledger/catalog/index.js';
import { ledgerCatalog, planKeys } from '../../ledger/catalog/ledger-catalog.js';
import type { Sql } from '../../ledger/db.js';
import { CreditsError } from '../../ledger/errors.js';
import { Ledger } from '../../ledger/ledger.js';
import { Reports } from '../../ledger/reports.js';
import type { Role, Source } from '../../ledger/types.js';
import { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { uniqueId } from '../support/db.js';

export const DAY = 24 * 3600 * 1000;

/** Solo workspace anchored Nov 16: 980 monthly credits (expire Dec 16) + a 1,000 purchased lot. */
export async function funded(w: ReturnType<typeof botWorld>) {
  const ws = await w.workspace();
  await w.ledger.grant(ws.id, {
    type: 'subscription',
    amount: 980,
    expiresAt: new Date('2026-12-16T00:00:00Z'),
    reason: 'Solo cycle Nov 16',
    idempotencyKey: 'cycle-1',
    source: 'workflow',
  });
  return ws;
}

/** The shipped catalog, a real ledger with a hand-moved clock, a directory and the core on top. */
export function botWorld(sql: Sql, start = new Date('2026-11-16T00:00:00Z')) {
  const catalog = loadCatalog(defaultCatalogPath());
  let now = start.getTime();
  const ledger = new Ledger(sql, ledgerCatalog(catalog), { clock: () => new Date(now) });
  const directory = new WorkspaceDirectory(sql, planKeys(catalog));
  const purchases = new MemoryPurchases(catalog.packages, directory);
  const core = new BotCore({
    ledger,
    reports: new Reports(sql),
    directory,
    catalog,
    purchases,
    burnCacheMs: 0,
    log: () => {},
  });
  return {
    sql,
    catalog,
    ledger,
    directory,
    purchases,
    core,
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(at: Date) {
      now = at.getTime();
    },
    /** A workspace on the Solo plan anchored at the start, with members and a Slack + Discord link. */
    async workspace(opts: { plan?: string; status?: 'active' | 'trialing' } = {}) {
      const id = uniqueId();
      const team = `T${randomBytes(4).toString('hex').toUpperCase()}`;
      const guild = String(100000000000000000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
      await directory.createWorkspace({
        id,
        name: `Acme ${id.slice(-4)}`,
        plan: opts.plan ?? 'solo',
        status: opts.status ?? 'active',
        billingAnchor: start,
      });
      const users: Record<Role, { slack: string; discord: string; id: string }> = {} as never;
      for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
        const slack = `U${role.toUpperCase()}${randomBytes(2).toString('hex').toUpperCase()}`;
        const discord = String(200000000000000000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
        await directory.addMember(id, {
          id: role,
          name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`,
          role,
          slackUserId: slack,
          discordUserId: discord,
        });
        users[role] = { slack, discord, id: role };
      }
      const slackChannel = `C${randomBytes(4).toString('hex').toUpperCase()}`;
      const discordChannel = String(300000000000000000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
      await directory.linkChat(id, { platform: 'slack', team, channel: slackChannel });
      await directory.linkChat(id, { platform: 'slack', team });
      await directory.linkChat(id, { platform: 'discord', team: guild, channel: discordChannel });
      await directory.linkChat(id, { platform: 'discord', team: guild });
      const ask = (role: Role, text: string, extra: Record<string, unknown> = {}) =>
        core.answer({
          platform: 'slack',
          teamId: team,
          channelId: slackChannel,
          userId: users[role].slack,
          text,
          ...extra,
        });
      const command = (role: Role, command: string, args = '') =>
        core.answer({
          platform: 'slack',
          teamId: team,
          channelId: slackChannel,
          userId: users[role].slack,
          command,
          args,
        });
      return { id, team, guild, slackChannel, discordChannel, users, ask, command };
    },
  };
}

/**
 * A Purchases kept in memory: records every call, enforces the documented refusals and emits
 * the notifications the Temporal flow would (approval request, then updates) to `onNotify`.
 */
export class MemoryPurchases implements Purchases {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly items = new Map<string, Purchase>();
  onNotify: (n: Notification) => Promise<void> = async () => {};
  private seq = 0;

  constructor(
    private readonly packages: { key: string; name: string; credits: number; price: number }[],
    private readonly directory: WorkspaceDirectory,
  ) {}

  private view(p: Purchase): Purchase {
    return { ...p };
  }

  async request(
    workspaceId: string,
    input: { package: string; requestedBy?: string; source: Source },
  ): Promise<Purchase> {
    this.calls.push({ method: 'request', args: [workspaceId, input] });
    const pkg = this.packages.find((p) => p.key === input.package);
    if (!pkg) throw CreditsError.field('package', `unknown package ${input.package}`);
    const ws = await this.directory.workspace(workspaceId);
    if (ws.status !== 'active' || ws.plan === 'trial') {
      throw new CreditsError(
        'conflict',
        'only a workspace with an active paid subscription can buy credit packages',
      );
    }
    const id = `pur_${++this.seq}_${randomBytes(3).toString('hex')}`;
    const p: Purchase = {
      id,
      workspaceId,
      package: pkg.key,
      packageName: pkg.name,
      credits: pkg.credits,
      price: pkg.price,
      currency: 'USD',
      status: 'pending_approval',
      requestedBy: input.requestedBy ?? null,
      source: input.source,
      decidedBy: null,
      reason: null,
      createdAt: new Date().toISOString(),
      approvalDeadline: new Date(Date.now() + 2 * DAY).toISOString(),
      automatic: false,
    };
    this.items.set(id, p);
    await this.onNotify({
      kind: 'approval_request',
      id: `${id}:approval`,
      workspaceId,
      purchase: p,
      occurredAt: p.createdAt,
    });
    return this.view(p);
  }

  async pending(workspaceId: string): Promise<Purchase[]> {
    return [...this.items.values()]
      .filter((p) => p.workspaceId === workspaceId && p.status === 'pending_approval')
      .map((p) => this.view(p));
  }

  async get(id: string, scope: { workspaceId?: string }): Promise<Purchase> {
    const p = this.items.get(id);
    if (!p || (scope.workspaceId && p.workspaceId !== scope.workspaceId))
      throw CreditsError.notFound('purchase', id);
    return this.view(p);
  }

  async approve(id: string, input: { by: string }, scope: { workspaceId?: string } = {}): Promise<Purchase> {
    this.calls.push({ method: 'approve', args: [id, input, scope] });
    return this.decide(id, 'approved', input.by, null, scope);
  }

  async reject(
    id: string,
    input: { by: string; reason?: string },
    scope: { workspaceId?: string } = {},
  ): Promise<Purchase> {
    this.calls.push({ method: 'reject', args: [id, input, scope] });
    return this.decide(id, 'rejected', input.by, input.reason ?? null, scope);
  }

  private async decide(
    id: string,
    status: 'approved' | 'rejected',
    by: string,
    reason: string | null,
    scope: { workspaceId?: string },
  ): Promise<Purchase> {
    const p = await this.get(id, scope);
    if (p.status !== 'pending_approval')
      throw new CreditsError('conflict', `purchase ${id} is already ${p.status}`);
    const next = { ...this.items.get(id)!, status, decidedBy: by, reason };
    this.items.set(id, next);
    await this.onNotify({
      kind: 'purchase_update',
      id: `${id}:${status}`,
      workspaceId: next.workspaceId,
      purchase: next,
      occurredAt: new Date().toISOString(),
    });
    return this.view(next);
  }
}
