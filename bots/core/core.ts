import type { PurchaseView } from '../../application/notifications.js';
import type { Purchase, Purchases } from '../../application/purchases.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import type { Sql } from '../../ledger/db.js';
import { isLedgerError } from '../../ledger/errors.js';
import { type Estimate, estimate } from '../../ledger/estimate.js';
import type { Ledger } from '../../ledger/ledger.js';
import { transactions, usage } from '../../ledger/reports.js';
import type { Balance, Role, Transaction } from '../../ledger/types.js';
import type { Directory, Member } from '../../ledger/workspaces.js';
import {
  credits,
  DAY_MS,
  day,
  daysBetween,
  dayTime,
  LOT_TYPE_NAMES,
  money,
  n,
  relative,
  signed,
} from './format.js';
import { matchPackage } from './match.js';
import { type ItemsParse, type Parsed, parseCommand, parseText } from './parse.js';
import {
  type Answer,
  APPROVE_ACTION,
  type Asker,
  type Block,
  type BotRequest,
  type ChatPlatform,
  type Field,
  REJECT_ACTION,
} from './types.js';

export interface CoreDeps {
  sql: Sql;
  ledger: Ledger;
  directory: Directory;
  catalog: Catalog;
  /** The purchase flow (Temporal); without it, `buy` and approvals say the worker is needed. */
  purchases?: Purchases;
  /** How long a workspace's 30-day burn rate is reused (it moves slowly); default 60 s. */
  burnCacheMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface Identity {
  workspaceId: string;
  workspaceName: string;
  member: Member;
}

export type Identified = { ok: true; identity: Identity } | { ok: false; answer: Answer };

/** A purchase as the API or the workflow notification shows it. */
export type AnyPurchase = Purchase | PurchaseView;

const APPROVERS: Role[] = ['owner', 'admin'];
const WINDOW_DAYS = 30;

const EXAMPLES = [
  '`balance` — total, by type, what expires when, runway',
  '`how many credits left?` · `when do our monthly credits reset?` · `why is our balance 840?`',
  '`estimate 3 veo 3.1 videos and 20 flux 2 dev images`',
  '`estimate a 2-week campaign on 3 platforms, 5 posts a week`',
  '`do we have enough for 10 articles?`',
  '`history` · `history images` · `usage`',
  '`buy medium` · `alerts` · `alerts low 200 critical 20`',
];

/** The conversational core: one request in, one platform-neutral answer out; it never throws. */
export class BotCore {
  private readonly burnCache = new Map<string, { at: number; value: Promise<Burn> }>();

  constructor(readonly deps: CoreDeps) {}

  get catalog(): Catalog {
    return this.deps.catalog;
  }

  async answer(request: BotRequest): Promise<Answer> {
    const now = request.now ?? this.deps.ledger.now();
    try {
      const who = await this.identify(request);
      if (!who.ok) return who.answer;
      const parsed =
        request.command !== undefined || request.text === undefined
          ? parseCommand(this.catalog, request.command, request.args)
          : parseText(this.catalog, request.text);
      return await this.dispatch(parsed, who.identity, request, now);
    } catch (error) {
      return this.failure(error);
    }
  }

  /** Resolves who asks and about which workspace, or a refusal saying what the operator must link. */
  async identify(asker: Asker): Promise<Identified> {
    const { directory } = this.deps;
    if (asker.platform === 'console') {
      const member = await directory.member(asker.workspaceId, asker.memberId);
      if (!member) {
        return refuse(
          `There is no member "${asker.memberId}" in workspace "${asker.workspaceId}". ` +
            'Start with --workspace and --member naming an existing member (npm start seeds demo / demo-owner).',
        );
      }
      const ws = await directory.workspace(asker.workspaceId);
      return { ok: true, identity: { workspaceId: ws.id, workspaceName: ws.name, member } };
    }
    const platformName = asker.platform === 'slack' ? 'Slack' : 'Discord';
    const teamWord = asker.platform === 'slack' ? 'Slack workspace' : 'Discord server';
    const found = await this.chatIdentity(
      asker.platform,
      asker.teamId,
      asker.channelId ?? null,
      asker.userId,
    );
    if (!found) {
      const body = JSON.stringify({
        platform: asker.platform,
        team: asker.teamId,
        ...(asker.channelId ? { channel: asker.channelId } : {}),
      });
      return refuse(
        `This ${teamWord} (or channel) is not linked to a Credits workspace yet, so I can't tell whose credits you mean. ` +
          `An operator can link it: POST /v1/workspaces/{workspace}/chat-links ${body}`,
      );
    }
    const { workspaceId, workspaceName, member } = found;
    if (!member) {
      const field = asker.platform === 'slack' ? 'slackUserId' : 'discordUserId';
      return refuse(
        `Your ${platformName} account is not linked to a member of workspace "${workspaceId}". ` +
          `Ask an operator to add you: POST /v1/workspaces/${workspaceId}/members {"id": "…", "name": "…", "role": "member", "${field}": "${asker.userId}"}`,
      );
    }
    return { ok: true, identity: { workspaceId, workspaceName, member } };
  }

  /**
   * The workspace a chat message is about (the channel's own link wins over the team's, as in
   * Directory.workspaceForChat) and the asking user's member in it, in one round trip: this runs on
   * every message, inside Slack's 3-second ack.
   */
  private async chatIdentity(
    platform: ChatPlatform,
    team: string,
    channel: string | null,
    userId: string,
  ): Promise<{ workspaceId: string; workspaceName: string; member: Member | null } | null> {
    const { sql } = this.deps;
    const [row] = await sql`
      SELECT w.id AS workspace_id, w.name AS workspace_name,
             m.id, m.name, m.role, m.slack_user_id, m.discord_user_id
        FROM (SELECT workspace_id FROM chat_links
               WHERE platform = ${platform} AND team = ${team} AND channel IN (${channel ?? ''}, '')
               ORDER BY channel DESC LIMIT 1) l
        JOIN workspaces w ON w.id = l.workspace_id
        LEFT JOIN members m ON m.workspace_id = w.id
         AND ${platform === 'slack' ? sql`m.slack_user_id` : sql`m.discord_user_id`} = ${userId}`;
    if (!row) return null;
    const member: Member | null = row.id
      ? {
          workspaceId: row.workspace_id as string,
          id: row.id as string,
          name: row.name as string,
          role: row.role as Role,
          slackUserId: (row.slack_user_id as string | null) ?? null,
          discordUserId: (row.discord_user_id as string | null) ?? null,
        }
      : null;
    return { workspaceId: row.workspace_id as string, workspaceName: row.workspace_name as string, member };
  }

  // ------------------------------------------------------------------ purchases from buttons

  /**
   * An Approve / Reject button was pressed. Only owners and admins may decide; everyone else gets
   * an ephemeral refusal and nothing changes. On success `purchase` is the updated purchase and
   * `answer` the new content of the approval message.
   */
  async decide(
    asker: Asker,
    purchaseId: string,
    decision: 'approve' | 'reject',
  ): Promise<{ ok: boolean; answer: Answer; purchase?: AnyPurchase }> {
    try {
      const who = await this.identifyForPurchase(asker, purchaseId);
      if (!who.ok) return { ok: false, answer: who.answer };
      const { member, workspaceId } = who.identity;
      if (!APPROVERS.includes(member.role)) {
        return {
          ok: false,
          answer: refusal(
            `Only an owner or admin can ${decision} purchases; you are a ${member.role} of ${who.identity.workspaceName}.`,
          ),
        };
      }
      const purchases = this.deps.purchases;
      if (!purchases) return { ok: false, answer: refusal(NO_WORKER) };
      const scope = { workspaceId };
      let purchase: Purchase;
      try {
        purchase =
          decision === 'approve'
            ? await purchases.approve(purchaseId, { by: member.id }, scope)
            : await purchases.reject(
                purchaseId,
                { by: member.id, reason: `rejected in ${asker.platform}` },
                scope,
              );
      } catch (error) {
        if (!isLedgerError(error)) throw error;
        const current = await purchases.get(purchaseId, scope).catch(() => undefined);
        return {
          ok: false,
          answer: refusal(
            error.code === 'not_found'
              ? `Purchase ${purchaseId} is not a purchase of this workspace.`
              : error.message,
          ),
          ...(current ? { purchase: current } : {}),
        };
      }
      return { ok: true, answer: await this.purchaseMessage(purchase), purchase };
    } catch (error) {
      return { ok: false, answer: { ...this.failure(error), ephemeral: true } };
    }
  }

  /**
   * Who pressed a purchase button: a member of the purchase's own workspace (the approval message
   * may sit in a DM, where the chat platform names no team), else whoever the channel says.
   */
  private async identifyForPurchase(asker: Asker, purchaseId: string): Promise<Identified> {
    if (asker.platform === 'console' || !this.deps.purchases) return this.identify(asker);
    const purchase = await this.deps.purchases.get(purchaseId, {}).catch((error: unknown) => {
      if (isLedgerError(error) && error.code === 'not_found') return null;
      throw error;
    });
    if (!purchase?.workspaceId) return this.identify(asker);
    const member = await this.deps.directory.memberByChatUser(
      purchase.workspaceId,
      asker.platform,
      asker.userId,
    );
    if (!member) {
      return refuse(
        `Only an owner or admin of workspace "${purchase.workspaceId}" can decide this purchase.`,
      );
    }
    const ws = await this.deps.directory.workspace(purchase.workspaceId);
    return { ok: true, identity: { workspaceId: ws.id, workspaceName: ws.name, member } };
  }

  /**
   * The flow may have moved on (paid, completed) while a button's answer was being shown: the
   * message for the purchase's current status when it differs from `shown`, else null.
   */
  async newerPurchaseMessage(shown: AnyPurchase): Promise<Answer | null> {
    const purchases = this.deps.purchases;
    if (!purchases) return null;
    const current = await purchases.get(
      shown.id,
      shown.workspaceId ? { workspaceId: shown.workspaceId } : {},
    );
    return current.status === shown.status ? null : this.purchaseMessage(current);
  }

  /** "Small — 1,000 credits for $50.00" from the purchase, completed from the catalog. */
  describePurchase(purchase: AnyPurchase): { what: string; amount: number | undefined } {
    const pkg = this.catalog.packages.find((p) => p.key === purchase.package);
    const packageName =
      ('packageName' in purchase ? purchase.packageName : undefined) ?? pkg?.name ?? purchase.package;
    const amount = purchase.credits ?? pkg?.credits;
    const price = purchase.price ?? pkg?.price;
    const currency = purchase.currency ?? this.catalog.currency;
    const what = `${packageName}${amount !== undefined ? ` — ${credits(amount)}` : ''}${price !== undefined ? ` for ${money(price, currency)}` : ''}`;
    return { what, amount };
  }

  /** The content of a purchase's approval message: buttons while pending, the outcome after. */
  async purchaseMessage(purchase: AnyPurchase): Promise<Answer> {
    const ws = purchase.workspaceId;
    const name = async (id: string | null | undefined) => {
      if (!id) return undefined;
      const member = ws ? await this.deps.directory.member(ws, id).catch(() => null) : null;
      return member?.name ?? id;
    };
    const { what, amount } = this.describePurchase(purchase);
    const requester = await name(purchase.requestedBy);
    const decider = await name(purchase.decidedBy);
    const automatic = 'automatic' in purchase && purchase.automatic;
    const now = this.deps.ledger.now();
    const fields: Field[] = [
      { label: 'Package', value: what },
      { label: 'Requested by', value: requester ?? (automatic ? 'auto top-up' : 'API') },
    ];
    let text: string;
    let tone: Answer['tone'] = 'info';
    const blocks: Block[] = [];
    switch (purchase.status) {
      case 'pending_approval': {
        const deadline = 'approvalDeadline' in purchase ? purchase.approvalDeadline : null;
        text = `Purchase request: ${what}. An owner or admin must approve it${deadline ? ` by ${dayTime(deadline, now)} UTC` : ''}.`;
        tone = 'warning';
        break;
      }
      case 'approved':
        text = `Approved${decider ? ` by ${decider}` : automatic ? ' automatically (auto top-up budget)' : ''}: ${what}. Processing the payment…`;
        break;
      case 'paid':
        text = `Paid: ${what}. Adding the credits…`;
        break;
      case 'completed':
        text = `Done: ${what}. ${amount !== undefined ? `${credits(amount)} were added to the balance` : 'The credits were added'}${decider ? ` (approved by ${decider})` : ''}.`;
        tone = 'good';
        break;
      case 'rejected':
        text = `Rejected${decider ? ` by ${decider}` : ''}: ${what}. Nothing was charged.`;
        tone = 'danger';
        break;
      case 'expired':
        text = `Expired: no owner or admin approved ${what} in time. Nothing was charged.`;
        tone = 'danger';
        break;
      default:
        text = `Failed: ${what}${purchase.reason ? ` (${purchase.reason})` : ''}. No credits were granted.`;
        tone = 'danger';
    }
    blocks.push(
      { type: 'header', text: 'Credit purchase' },
      { type: 'section', text },
      { type: 'fields', fields },
    );
    if (purchase.status === 'pending_approval') {
      blocks.push({
        type: 'buttons',
        buttons: [
          { actionId: APPROVE_ACTION, label: 'Approve', value: purchase.id, style: 'primary' },
          { actionId: REJECT_ACTION, label: 'Reject', value: purchase.id, style: 'danger' },
        ],
      });
      blocks.push({ type: 'context', text: `Only owners and admins can approve. Purchase ${purchase.id}.` });
    } else {
      blocks.push({
        type: 'context',
        text: `Purchase ${purchase.id} · ${purchase.status.replace('_', ' ')}`,
      });
    }
    return { intent: 'approval', text, blocks, tone };
  }

  // ------------------------------------------------------------------ intents

  private async dispatch(parsed: Parsed, who: Identity, request: BotRequest, now: Date): Promise<Answer> {
    switch (parsed.intent) {
      case 'balance':
        return this.balanceAnswer(who, now, parsed.focus);
      case 'renewal':
        return this.renewalAnswer(who, now);
      case 'runway':
        return this.runwayAnswer(who, now);
      case 'why':
        return this.whyAnswer(who, now, parsed.claimed);
      case 'estimate':
        return this.estimateAnswer(who, parsed.items, parsed.afford);
      case 'campaign': {
        const balance = await this.deps.ledger.balance(who.workspaceId);
        const result = estimate(this.catalog, { campaign: parsed.campaign }, balance.total);
        const c = result.campaign!;
        const title = `${c.platforms} platform${c.platforms === 1 ? '' : 's'} × ${c.weeks} week${c.weeks === 1 ? '' : 's'} × ${c.postsPerWeek} posts a week = ${n(c.posts)} posts`;
        const assumed = parsed.assumptions.length > 0 ? `Assuming ${parsed.assumptions.join(', ')}. ` : '';
        return this.renderEstimate(result, title, parsed.afford, [
          assumed ? `${assumed}Say it differently to change that.` : '',
        ]);
      }
      case 'history':
        return this.historyAnswer(who, now, parsed);
      case 'usage':
        return this.usageAnswer(who, now);
      case 'buy':
        return this.buyAnswer(who, request, parsed.phrase);
      case 'alerts':
        return this.alertsAnswer(who, parsed);
      default:
        return help(parsed.reason);
    }
  }

  private async balanceAnswer(who: Identity, now: Date, focus?: 'expiry'): Promise<Answer> {
    const [balance, burn] = await Promise.all([
      this.deps.ledger.balance(who.workspaceId),
      this.burn(who.workspaceId, now),
    ]);
    const fields: Field[] = [];
    const types = Object.entries(balance.byType).filter(([, v]) => v > 0);
    fields.push({
      label: 'By type',
      value:
        types.length > 0 ? types.map(([t, v]) => `${LOT_TYPE_NAMES[t] ?? t} ${n(v)}`).join(' · ') : 'none',
    });
    const expiry = expiryLine(balance, now);
    fields.push({ label: 'Next expiry', value: expiry ?? 'nothing expires' });
    fields.push({
      label: 'Renewal',
      value: balance.renewal
        ? `${credits(balance.renewal.amount)} on ${day(balance.renewal.at, now)} (${relative(balance.renewal.at, now)})`
        : 'no subscription renewal',
    });
    fields.push({ label: 'Runway', value: runwayLine(balance, burn, now) });
    if (balance.held > 0)
      fields.push({ label: 'Held', value: `${credits(balance.held)} reserved by automations` });
    fields.push({ label: 'Used so far', value: credits(balance.lifetimeUsed) });
    const headline =
      focus === 'expiry' && expiry
        ? `${capitalize(expiry)}. You have ${credits(balance.total)} in total.`
        : `${who.workspaceName} has ${credits(balance.total)}.`;
    const note =
      balance.byType.subscription > 0 && types.length > 1
        ? 'Monthly credits are used first, because they expire.'
        : `Ask "why is our balance ${n(balance.total)}?" to see the lots and entries behind it.`;
    return {
      intent: 'balance',
      text: [headline, ...fields.map((f) => `${f.label}: ${f.value}`), note].join('\n'),
      blocks: [
        { type: 'section', text: headline },
        { type: 'fields', fields },
        { type: 'context', text: note },
      ],
      tone: balanceTone(balance.total, this.thresholds(undefined).low),
    };
  }

  private async renewalAnswer(who: Identity, now: Date): Promise<Answer> {
    const balance = await this.deps.ledger.balance(who.workspaceId);
    if (!balance.renewal) {
      const text = `${who.workspaceName} has no active subscription that renews, so no monthly credits will arrive. You have ${credits(balance.total)}.`;
      return simple('renewal', text);
    }
    const r = balance.renewal;
    const left = balance.byType.subscription;
    const lines = [
      `Your monthly credits reset on ${day(r.at, now)} (${relative(r.at, now)}): ${credits(r.amount)} arrive then.`,
      left > 0
        ? `The ${credits(left)} of this cycle still left expire at that moment — they don't roll over, so they're used before anything else.`
        : 'This cycle’s monthly credits are used up.',
    ];
    return simple('renewal', lines.join(' '));
  }

  private async runwayAnswer(who: Identity, now: Date): Promise<Answer> {
    const [balance, burn] = await Promise.all([
      this.deps.ledger.balance(who.workspaceId),
      this.burn(who.workspaceId, now),
    ]);
    return simple('runway', `${runwayLine(balance, burn, now)} You have ${credits(balance.total)}.`);
  }

  private async whyAnswer(who: Identity, now: Date, claimed?: number): Promise<Answer> {
    const { ledger, sql } = this.deps;
    const [balance, lots, recent] = await Promise.all([
      ledger.balance(who.workspaceId),
      ledger.lots(who.workspaceId),
      transactions(sql, who.workspaceId, { limit: 8 }),
    ]);
    const live = lots.filter((l) => !l.expiresAt || new Date(l.expiresAt) > now);
    const lotLines = live.map((l) => {
      const origin = typeof l.source.reason === 'string' ? ` — ${l.source.reason}` : '';
      const expires = l.expiresAt ? `expires ${day(l.expiresAt, now)}` : 'never expires';
      return `• ${capitalize(LOT_TYPE_NAMES[l.type] ?? l.type)}: ${n(l.remaining)} of ${n(l.amount)} left, granted ${day(l.grantedAt, now)}, ${expires}${origin}`;
    });
    const sum = live.reduce((s, l) => s + l.remaining, 0);
    const opening =
      claimed !== undefined && claimed !== balance.total
        ? `Your balance is ${credits(balance.total)} now (not ${n(claimed)}). `
        : '';
    const arithmetic =
      live.length === 0
        ? 'No lot holds credits right now.'
        : `${live.map((l) => n(l.remaining)).join(' + ')} = ${n(sum)} in ${live.length} lot${live.length === 1 ? '' : 's'}` +
          (balance.held > 0 ? `, minus ${n(balance.held)} held by automations = ${n(balance.total)}.` : '.');
    const entryLines = recent.items.map((t) => entryLine(t, now, this.catalog));
    const text = [
      `${opening}Your balance is the credits left in each lot:`,
      ...lotLines,
      arithmetic,
      `Used so far: ${credits(balance.lifetimeUsed)}. Latest entries:`,
      ...entryLines,
    ].join('\n');
    return {
      intent: 'why',
      text,
      blocks: [
        { type: 'section', text: `${opening}${arithmetic}` },
        { type: 'section', text: lotLines.join('\n') || 'No lot holds credits.' },
        { type: 'context', text: `Used so far: ${credits(balance.lifetimeUsed)}` },
        {
          type: 'section',
          text: entryLines.length > 0 ? `Latest entries:\n${entryLines.join('\n')}` : 'No entries yet.',
        },
      ],
    };
  }

  private async estimateAnswer(who: Identity, items: ItemsParse, afford: boolean): Promise<Answer> {
    const notes: string[] = [];
    for (const a of items.ambiguous) {
      notes.push(`"${a.phrase}" could be ${a.candidates.slice(0, 4).join(' or ')} — say which.`);
    }
    for (const u of items.unknown) notes.push(`I don't know "${u}". ${knownNames(this.catalog)}`);
    if (items.items.length === 0) {
      return {
        intent: 'estimate',
        text: notes.join('\n'),
        blocks: notes.map((t) => ({ type: 'section', text: t })),
      };
    }
    for (const i of items.items.filter((i) => i.fuzzy))
      notes.push(`Reading "${i.phrase}" as ${i.resolved.label}.`);
    const balance = await this.deps.ledger.balance(who.workspaceId);
    const result = estimate(
      this.catalog,
      {
        items: items.items.map((i) => ({
          operation: i.resolved.operation,
          quantity: i.quantity,
          params: { ...i.resolved.params, ...(i.complexity ? { complexity: i.complexity } : {}) },
        })),
      },
      balance.total,
    );
    const title = items.items.map((i) => `${n(i.quantity)} × ${i.resolved.label}`).join(' + ');
    return this.renderEstimate(result, title, afford, notes);
  }

  private renderEstimate(result: Estimate, title: string, afford: boolean, notes: string[]): Answer {
    const cost =
      result.min === result.max
        ? credits(result.max)
        : `${n(result.min)}–${credits(result.max)} (expected ${n(result.expected)})`;
    const verdict = result.affordable
      ? `You have ${credits(result.balance)}: enough${result.min === result.max ? '' : ' even at the top of the range'}, leaving ${n(result.balance - result.max)}.`
      : result.affordableAtExpected
        ? `You have ${credits(result.balance)}: enough at the expected cost, ${n(result.shortfall)} short at worst.`
        : `You have ${credits(result.balance)}: not enough — ${n(result.shortfall)} short.`;
    const lead = afford
      ? `${result.affordable ? 'Yes' : result.affordableAtExpected ? 'Probably' : 'No'}. `
      : '';
    const headline = `${lead}${title}: ${cost}.`;
    const breakdown = result.breakdown.map((b) => b.description);
    const alternatives = result.alternatives.slice(0, 3).map((a) => a.suggestion);
    const cleanNotes = notes.filter(Boolean);
    const text = [
      headline,
      verdict,
      ...(breakdown.length > 1 ? breakdown : []),
      ...alternatives.map((a) => `Cheaper: ${a}`),
      ...cleanNotes,
    ].join('\n');
    const blocks: Block[] = [
      { type: 'section', text: `${headline}\n${verdict}` },
      {
        type: 'fields',
        fields: result.breakdown.map((b) => ({
          label: `${n(b.quantity)} × ${b.name}`,
          value: b.description,
        })),
      },
    ];
    if (alternatives.length > 0)
      blocks.push({
        type: 'section',
        text: `Cheaper options:\n${alternatives.map((a) => `• ${a}`).join('\n')}`,
      });
    if (cleanNotes.length > 0) blocks.push({ type: 'context', text: cleanNotes.join(' ') });
    return {
      intent: afford ? 'afford' : 'estimate',
      text,
      blocks,
      tone: result.affordable ? 'good' : result.affordableAtExpected ? 'warning' : 'danger',
    };
  }

  private async historyAnswer(
    who: Identity,
    now: Date,
    parsed: Extract<Parsed, { intent: 'history' }>,
  ): Promise<Answer> {
    if (parsed.unknownOperation) {
      return simple('history', `I don't know "${parsed.unknownOperation}". ${knownNames(this.catalog)}`);
    }
    const page = await transactions(this.deps.sql, who.workspaceId, {
      limit: parsed.limit,
      ...(parsed.operation ? { operation: parsed.operation } : {}),
    });
    const opName = parsed.operation
      ? this.catalog.operations.find((o) => o.key === parsed.operation)?.name
      : undefined;
    const title = `Last ${page.items.length} ${opName ? `${opName} ` : ''}entr${page.items.length === 1 ? 'y' : 'ies'} of ${who.workspaceName}`;
    if (page.items.length === 0) {
      return simple('history', opName ? `No ${opName} entries yet.` : 'No entries yet.');
    }
    const lines = page.items.map((t) => entryLine(t, now, this.catalog));
    return {
      intent: 'history',
      text: [`${title}:`, ...lines].join('\n'),
      blocks: [
        { type: 'section', text: `${title}:` },
        { type: 'section', text: lines.join('\n') },
        ...(page.nextCursor
          ? [{ type: 'context' as const, text: 'Older entries: GET /v1/workspaces/{ws}/transactions' }]
          : []),
      ],
    };
  }

  private async usageAnswer(who: Identity, now: Date): Promise<Answer> {
    const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
    const to = new Date(now.getTime() + 1);
    const [byActor, byOperation, members] = await Promise.all([
      usage(this.deps.sql, who.workspaceId, { groupBy: 'actor', from, to }),
      usage(this.deps.sql, who.workspaceId, { groupBy: 'operation', from, to }),
      this.deps.directory.members(who.workspaceId),
    ]);
    if (byOperation.total === 0 && byOperation.groups.length === 0) {
      return simple('usage', `${who.workspaceName} used no credits in the last ${WINDOW_DAYS} days.`);
    }
    const names = memberNames(members);
    const memberLines = byActor.groups
      .slice(0, 10)
      .map((g) => `• ${actorName(g.key, names)}: ${n(g.used)} (${g.count} debit${g.count === 1 ? '' : 's'})`);
    const opLines = byOperation.groups
      .slice(0, 10)
      .map((g) => `• ${operationName(g.key, this.catalog)}: ${n(g.used)} (${g.count}×)`);
    const headline = `${who.workspaceName} used ${credits(byOperation.total)} in the last ${WINDOW_DAYS} days (${day(from, now)} – ${day(now, now)}).`;
    return {
      intent: 'usage',
      text: [headline, 'By member:', ...memberLines, 'By operation:', ...opLines].join('\n'),
      blocks: [
        { type: 'section', text: headline },
        { type: 'section', text: `By member:\n${memberLines.join('\n')}` },
        { type: 'section', text: `By operation:\n${opLines.join('\n')}` },
      ],
    };
  }

  private async buyAnswer(who: Identity, request: BotRequest, phrase: string): Promise<Answer> {
    const { member } = who;
    if (member.role === 'viewer') {
      return refusal(
        `Viewers can ask but not buy. Ask an owner, admin or member of ${who.workspaceName} to request a package.`,
      );
    }
    const list = this.catalog.packages
      .map((p) => `${p.key} (${credits(p.credits)}, ${money(p.price, this.catalog.currency)})`)
      .join(', ');
    if (!phrase)
      return simple(
        'buy',
        `Which package? ${list}. Say e.g. \`buy ${this.catalog.packages[0]?.key ?? 'small'}\`.`,
      );
    const match = matchPackage(this.catalog, phrase);
    if (match.kind === 'none') return simple('buy', `There is no package "${phrase}". Packages: ${list}.`);
    if (match.kind === 'ambiguous')
      return simple('buy', `"${phrase}" could be ${match.candidates.join(' or ')} — which one?`);
    const purchases = this.deps.purchases;
    if (!purchases) return simple('buy', NO_WORKER);
    const source = request.platform === 'console' ? 'cli' : request.platform;
    try {
      const purchase = await purchases.request(who.workspaceId, {
        package: match.package.key,
        requestedBy: member.id,
        source,
      });
      const { what } = this.describePurchase(purchase);
      const deadline =
        'approvalDeadline' in purchase && typeof purchase.approvalDeadline === 'string'
          ? ` by ${dayTime(purchase.approvalDeadline, this.deps.ledger.now())} UTC`
          : '';
      const next =
        purchase.status === 'pending_approval'
          ? `${APPROVERS.includes(member.role) ? 'You or another owner or admin' : 'An owner or admin'} approves it with the Approve button on the approval message${deadline}; nothing is charged before that.`
          : purchase.status === 'approved'
            ? 'It was approved automatically; the credits arrive once it is paid.'
            : `It is ${purchase.status.replace('_', ' ')}.`;
      const fuzzy = match.fuzzy ? ` (reading "${phrase}" as ${match.package.name})` : '';
      const text = `Purchase requested${fuzzy}: ${what}. ${next}`;
      return {
        intent: 'buy',
        text,
        blocks: [
          { type: 'section', text },
          { type: 'context', text: `Purchase ${purchase.id} · ${purchase.status.replace('_', ' ')}` },
        ],
        tone: 'info',
      };
    } catch (error) {
      if (isLedgerError(error)) return refusal(`I couldn't request ${match.package.name}: ${error.message}`);
      throw error;
    }
  }

  private thresholds(settings: Record<string, unknown> | undefined): { low: number; critical: number } {
    const configured = (
      settings?.alerts as { thresholds?: { low?: unknown; critical?: unknown } } | undefined
    )?.thresholds;
    const low = typeof configured?.low === 'number' ? configured.low : this.catalog.alerts.low;
    const critical =
      typeof configured?.critical === 'number' ? configured.critical : this.catalog.alerts.critical;
    return { low, critical };
  }

  private async alertsAnswer(who: Identity, parsed: Extract<Parsed, { intent: 'alerts' }>): Promise<Answer> {
    const { directory } = this.deps;
    if (parsed.invalid) return simple('alerts', parsed.invalid);
    const ws = await directory.workspace(who.workspaceId);
    const current = this.thresholds(ws.settings);
    if (parsed.set) {
      if (!APPROVERS.includes(who.member.role)) {
        return refusal(`Only an owner or admin can change alert thresholds; you are a ${who.member.role}.`);
      }
      const next = { ...current, ...parsed.set };
      for (const [k, v] of Object.entries(next)) {
        if (!Number.isSafeInteger(v) || v < 1 || v > 1_000_000_000) {
          return simple(
            'alerts',
            `The ${k} threshold must be a whole number of credits from 1 to 1,000,000,000.`,
          );
        }
      }
      if (next.low <= next.critical) {
        return simple(
          'alerts',
          `The low threshold (${n(next.low)}) must be above the critical one (${n(next.critical)}).`,
        );
      }
      const alerts = {
        ...((ws.settings.alerts as Record<string, unknown> | undefined) ?? {}),
        thresholds: next,
      };
      await directory.updateWorkspace(who.workspaceId, { settings: { alerts } });
      const text = `Alert thresholds of ${ws.name} set: low at ${credits(next.low)}, critical at ${credits(next.critical)} (and depleted at 0). Changed by ${who.member.name}.`;
      return simple('alerts', text);
    }
    const links = (await directory.chatLinks(who.workspaceId)).filter((l) => l.channel);
    const where =
      links.length > 0
        ? `Alerts go to ${links.map((l) => `${l.platform === 'slack' ? 'Slack' : 'Discord'} channel ${l.channel}`).join(', ')}.`
        : 'No channel is linked yet, so alerts reach no chat channel (link one with POST /v1/workspaces/{ws}/chat-links and a channel).';
    const balance = await this.deps.ledger.balance(who.workspaceId);
    const text = `Alerts fire once when the balance falls below low ${credits(current.low)}, critical ${credits(current.critical)} and depleted 0, and re-arm when it rises again. Balance now: ${n(balance.total)}. ${where}`;
    const change = APPROVERS.includes(who.member.role) ? ' Change with `alerts low 200 critical 20`.' : '';
    return simple('alerts', text + change);
  }

  // ------------------------------------------------------------------ burn rate

  /** Credits used per day over the last 30 days (or since the first entry, when younger), cached briefly. */
  burn(workspaceId: string, now: Date): Promise<Burn> {
    const ttl = this.deps.burnCacheMs ?? 60_000;
    const cached = this.burnCache.get(workspaceId);
    const at = Date.now();
    if (cached && at - cached.at < ttl) return cached.value;
    const value = this.computeBurn(workspaceId, now);
    this.burnCache.set(workspaceId, { at, value });
    value.catch(() => this.burnCache.delete(workspaceId));
    if (this.burnCache.size > 10_000) {
      for (const [k, v] of this.burnCache) if (at - v.at >= ttl) this.burnCache.delete(k);
    }
    return value;
  }

  private async computeBurn(workspaceId: string, now: Date): Promise<Burn> {
    const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
    const { sql } = this.deps;
    const [row] = await sql`
      SELECT coalesce(-sum(delta), 0)::bigint AS used,
             (SELECT min(granted_at) FROM lots WHERE workspace_id = ${workspaceId}) AS first
        FROM journal
       WHERE workspace_id = ${workspaceId} AND kind IN ('debit', 'reverse')
         AND created_at >= ${from} AND created_at <= ${now}`;
    const used = Number(row?.used ?? 0);
    const first = row?.first ? new Date(row.first as string) : now;
    const days = Math.min(WINDOW_DAYS, Math.max(1, (now.getTime() - first.getTime()) / DAY_MS));
    return { used, days, perDay: used / days };
  }

  private failure(error: unknown): Answer {
    if (isLedgerError(error)) {
      return simple(
        'error',
        error.code === 'invalid_request' ? `That doesn't work: ${error.message}` : error.message,
      );
    }
    const ref = Math.random().toString(36).slice(2, 8);
    (this.deps.log ?? ((m, e) => console.error(m, e)))(`bot answer failed (ref ${ref})`, error);
    return {
      intent: 'error',
      text: `Something went wrong on our side (ref ${ref}); please try again in a moment.`,
      blocks: [
        {
          type: 'section',
          text: `Something went wrong on our side (ref ${ref}); please try again in a moment.`,
        },
      ],
      ephemeral: true,
      tone: 'danger',
    };
  }
}

export interface Burn {
  used: number;
  days: number;
  perDay: number;
}

const NO_WORKER =
  'Purchases need the worker: the purchase flow runs on Temporal and this bot was started without it. Ask an operator to start the worker (npm start does).';

function refuse(text: string): { ok: false; answer: Answer } {
  return { ok: false, answer: refusal(text) };
}

function refusal(text: string): Answer {
  return { intent: 'refusal', text, blocks: [{ type: 'section', text }], ephemeral: true, tone: 'warning' };
}

function simple(intent: Answer['intent'], text: string): Answer {
  return { intent, text, blocks: [{ type: 'section', text }] };
}

export function help(reason?: string): Answer {
  const intro = reason
    ? `${reason} Here is what I can answer:`
    : 'I answer questions about your workspace’s credits:';
  return {
    intent: 'help',
    text: [intro, ...EXAMPLES.map((e) => `• ${e}`)].join('\n'),
    blocks: [
      { type: 'section', text: intro },
      { type: 'section', text: EXAMPLES.map((e) => `• ${e}`).join('\n') },
    ],
    ephemeral: true,
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function expiryLine(balance: Balance, now: Date): string | null {
  const e = balance.nextExpiry;
  if (!e) return null;
  return `${n(e.amount)} ${LOT_TYPE_NAMES[e.type] ?? e.type} credits expire on ${day(e.at, now)} (${relative(e.at, now)})`;
}

export function runwayLine(balance: Balance, burn: Burn, now: Date): string {
  if (burn.used <= 0) return `No credits used in the last ${WINDOW_DAYS} days, so no run-out date in sight.`;
  const perDay = burn.perDay;
  const rate = `${n(Math.round(perDay))}/day over the last ${Math.round(burn.days)} day${Math.round(burn.days) === 1 ? '' : 's'}`;
  if (balance.total <= 0) return `You're out of credits (burning ${rate}).`;
  const runOut = new Date(now.getTime() + (balance.total / perDay) * DAY_MS);
  if (balance.renewal) {
    const renewal = new Date(balance.renewal.at);
    const before = daysBetween(runOut, renewal);
    if (runOut < renewal) {
      return `At this pace (${rate}) you run out around ${day(runOut, now)}, ${before === 0 ? 'just' : `${before} day${before === 1 ? '' : 's'}`} before renewal on ${day(renewal, now)}.`;
    }
    return `At this pace (${rate}) your credits last past the renewal on ${day(renewal, now)}.`;
  }
  return `At this pace (${rate}) you run out around ${day(runOut, now)}.`;
}

function balanceTone(total: number, low: number): Answer['tone'] {
  return total <= 0 ? 'danger' : total < low ? 'warning' : 'info';
}

function knownNames(catalog: Catalog): string {
  const examples: string[] = [];
  for (const op of catalog.operations) {
    if (op.rule.type === 'tier') examples.push(...Object.values(op.rule.tiers).map((t) => t.name));
    else examples.push(op.name.toLowerCase());
    if (examples.length > 14) break;
  }
  return `Try names like: ${examples.slice(0, 14).join(', ')}.`;
}

function entryLine(t: Transaction, now: Date, catalog: Catalog): string {
  const what =
    t.kind === 'debit'
      ? operationName(t.operation, catalog) + (t.quantity && t.quantity > 1 ? ` ×${n(t.quantity)}` : '')
      : t.kind === 'grant'
        ? `grant (${t.lots[0] ? (LOT_TYPE_NAMES[t.lots[0].type] ?? t.lots[0].type) : 'lot'})${t.reason ? `: ${t.reason}` : ''}`
        : t.kind === 'expire'
          ? `expired ${t.lots[0] ? (LOT_TYPE_NAMES[t.lots[0].type] ?? '') : ''}`.trim()
          : t.kind === 'reverse'
            ? `refund of #${t.reversesId}`
            : `adjustment${t.reason ? `: ${t.reason}` : ''}`;
  const who = t.actor ? ` · ${t.actor}` : '';
  return `${dayTime(t.createdAt, now)}  ${signed(t.delta)}  ${what}${who} · ${t.source} → ${n(t.balanceAfter)}`;
}

function operationName(key: string | null, catalog: Catalog): string {
  if (!key) return 'credits (no operation)';
  return catalog.operations.find((o) => o.key === key)?.name ?? key;
}

function memberNames(members: Member[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of members) {
    map.set(m.id, m.name);
    map.set(`member:${m.id}`, m.name);
  }
  return map;
}

function actorName(key: string | null, names: Map<string, string>): string {
  if (!key) return 'unattributed';
  return names.get(key) ?? key;
}

export function platformLabel(p: ChatPlatform): string {
  return p === 'slack' ? 'Slack' : 'Discord';
}

export { actorName, memberNames };
