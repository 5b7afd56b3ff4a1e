import { auditActor, hasScope, type Principal } from '../../application/access.js';
import { AlertSettings } from '../../application/alert-settings.js';
import { ApiKeys } from '../../application/api-keys.js';
import { saveAutoTopUp } from '../../application/auto-top-up.js';
import type { BudgetRaise } from '../../application/budget-raises.js';
import { requestRaise } from '../../application/budget-raises.js';
import { createBudget, listBudgets, updateBudget } from '../../application/budgets.js';
import type { Purchase } from '../../application/purchases.js';
import { refundPurchase } from '../../application/refunds.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import { Understander } from '../understanding/understand.js';
import { principalOf } from './access.js';
import { type Burn, BurnRates } from './burn.js';
import { usageChartFile } from './charts/index.js';
import { type AnswerContext, type CoreDeps, workspaceReads } from './context.js';
import { dispatch } from './dispatch.js';
import { type Identified, type Identity, identify } from './identity.js';
import { describePurchase, PurchaseDesk } from './purchase-desk.js';
import { RaiseDesk } from './raise-desk.js';
import { failure } from './replies.js';
import type { Answer, Asker, BotRequest, ChatPlatform, Said } from './types.js';

export { runwayLine } from './answers/balance.js';
export type { Burn } from './burn.js';
export type { AnswerContext, CoreDeps } from './context.js';
export type { Identified, Identity } from './identity.js';
export { help } from './replies.js';

/** Longer chat text is answered politely and never parsed (a question fits in far less). */
export const MAX_CHAT_TEXT = 2000;

function tooLong(length: number): Answer {
  const text = `That message is too long for me (${length.toLocaleString('en-US')} characters; I read up to ${MAX_CHAT_TEXT.toLocaleString('en-US')}). Please ask one short question at a time, e.g. "how many credits left?"`;
  return { intent: 'help', text, blocks: [{ type: 'section', text }], ephemeral: true };
}

function saidOf(request: BotRequest): Said {
  if (request.choice !== undefined) return { kind: 'choice', id: request.choice };
  if (request.command !== undefined || request.text === undefined)
    return { kind: 'command', command: request.command ?? '', args: request.args ?? '' };
  return { kind: 'text', text: request.text };
}

/**
 * The conversational core: one request in, one platform-neutral answer out; it never throws.
 * It identifies the asker, builds the answer context for them and hands what was said to the
 * dispatcher; the answers (answers/) see only that context.
 */
export class BotCore {
  readonly alertSettings: AlertSettings;
  readonly desk: PurchaseDesk;
  readonly raiseDesk: RaiseDesk;
  private readonly burnRates: BurnRates;
  private readonly apiKeys: ApiKeys;

  constructor(readonly deps: CoreDeps) {
    this.alertSettings = new AlertSettings({
      directory: deps.directory,
      changes: deps.ledger.changes,
      defaults: deps.catalog.alerts,
    });
    this.burnRates = new BurnRates(deps.ledger, deps.burnCacheMs);
    // Load the understanding model now, not inside the first question's ack.
    Understander.shared().catch((error) => deps.log?.('understanding model failed to load', error));
    // Only list() is used here: no cache to watch.
    this.apiKeys = new ApiKeys({ store: deps.ledger.apiKeys, directory: deps.directory });
    this.desk = new PurchaseDesk({
      purchases: deps.purchases,
      directory: deps.directory,
      changes: deps.ledger.changes,
      clock: () => deps.ledger.now(),
      identify: (asker) => this.identify(asker),
      log: deps.log,
    });
    this.raiseDesk = new RaiseDesk({
      raises: () => deps.purchases?.raises,
      budgets: deps.ledger.budgetRaises,
      directory: deps.directory,
      changes: deps.ledger.changes,
      clock: () => deps.ledger.now(),
      identify: (asker) => this.identify(asker),
      log: deps.log,
    });
  }

  get catalog(): Catalog {
    return this.deps.catalog;
  }

  async answer(request: BotRequest): Promise<Answer> {
    const length =
      (request.text?.length ?? 0) +
      (request.command?.length ?? 0) +
      (request.args?.length ?? 0) +
      (request.choice?.length ?? 0);
    if (length > MAX_CHAT_TEXT) return tooLong(length);
    const now = request.now ?? this.deps.ledger.now();
    try {
      const who = await this.identify(request);
      if (!who.ok) return who.answer;
      return await dispatch(this.contextFor(who.identity, request, now), saidOf(request));
    } catch (error) {
      return failure(error, this.deps.log);
    }
  }

  /** Resolves who asks and about which workspace, or a refusal saying what the operator must link. */
  identify(asker: Asker): Promise<Identified> {
    return identify(this.deps.directory, asker);
  }

  /** What the answers for `who` may use: reads and changes of their own workspace, as them. */
  contextFor(who: Identity, asker: Asker, now: Date): AnswerContext {
    const platform: ChatPlatform | 'console' = asker.platform;
    const workspace = { id: who.workspaceId, name: who.workspaceName };
    const { purchases } = this.deps;
    const principal = principalOf(who, platform);
    const actor = () => auditActor(principal, platform);
    const { webAccess } = this.deps;
    return {
      signInLink: webAccess
        ? () =>
            webAccess.createLoginLink(
              principal,
              who.workspaceId,
              who.member.id,
              this.deps.publicUrl ?? 'http://127.0.0.1:3000',
            )
        : null,
      who,
      platform,
      now,
      catalog: this.deps.catalog,
      reads: workspaceReads(this.deps, who.workspaceId),
      burn: () => this.burn(who.workspaceId, now),
      usageChart: (by) => usageChartFile(this.chartDeps(), workspace, now, by),
      alerts: {
        get: () => this.alertSettings.get(who.workspaceId),
        set: (change) => this.alertSettings.set(who.workspaceId, change, actor()),
      },
      purchases: purchases
        ? {
            request: (packageKey) =>
              purchases.request(who.workspaceId, {
                package: packageKey,
                requestedBy: who.member.id,
                source: platform === 'console' ? 'cli' : platform,
              }),
            pending: () => purchases.pending(who.workspaceId),
            decide: (purchaseId, decision) => this.desk.decide(asker, purchaseId, decision),
          }
        : null,
      autoTopUp: {
        save: (policy) =>
          saveAutoTopUp(
            {
              changes: this.deps.ledger.changes,
              catalog: this.deps.catalog,
              limits: this.deps.autoTopUpLimits,
            },
            who.workspaceId,
            policy,
            actor(),
            hasScope(principal, 'purchases:approve'),
          ),
      },
      keys: { list: () => this.apiKeys.list(principal, who.workspaceId) },
      budgets: this.budgetActions(who, asker, principal),
      refunds: {
        refund: (purchaseId) =>
          refundPurchase(
            { ledger: this.deps.ledger, flows: this.deps.refundFlows },
            principal,
            purchaseId,
            // One key per purchase, member and platform: asking again replays; anyone else hears it is refunded.
            {
              idempotencyKey: `chat:refund:${purchaseId}:${who.member.id}:${platform}`,
              reason: `asked in ${platform}`,
            },
            platform,
            { workspaceId: who.workspaceId },
          ),
      },
    };
  }

  /** Budgets as the asker, through the budget and raise use cases (audited as the asker). */
  private budgetActions(who: Identity, asker: Asker, principal: Principal): AnswerContext['budgets'] {
    const services = this.deps;
    const channel = asker.platform;
    const ws = who.workspaceId;
    return {
      list: () => listBudgets(services, ws),
      set: async (input) => {
        // "limit Sam to 500 a month" changes Sam's monthly budget when there is one.
        const same = (await listBudgets(services, ws)).find(
          (b) => JSON.stringify(b.subject) === JSON.stringify(input.subject) && b.period === input.period,
        );
        const by = auditActor(principal, channel);
        return same
          ? updateBudget(services, same.id, { limit: input.limit }, by, { workspaceId: ws })
          : createBudget(services, ws, input, by);
      },
      requestRaise: (budgetId, amount, reason) =>
        requestRaise(
          {
            raises: this.deps.purchases?.raises,
            budgets: this.deps.ledger.budgetRaises,
            audit: this.deps.ledger.changes,
          },
          principal,
          budgetId,
          { amount, reason },
          channel,
        ),
      decideRaise: (raiseId, decision) => this.raiseDesk.decide(asker, raiseId, decision),
    };
  }

  /** A raise's Approve / Reject button was pressed (see raise-desk.ts). */
  decideRaise(
    asker: Asker,
    raiseId: string,
    decision: 'approve' | 'reject',
  ): Promise<{ ok: boolean; answer: Answer; raise?: BudgetRaise }> {
    return this.raiseDesk.decide(asker, raiseId, decision);
  }

  /** An Approve / Reject button was pressed (see purchase-desk.ts). */
  decide(
    asker: Asker,
    purchaseId: string,
    decision: 'approve' | 'reject',
  ): Promise<{ ok: boolean; answer: Answer; purchase?: Purchase }> {
    return this.desk.decide(asker, purchaseId, decision);
  }

  newerPurchaseMessage(shown: Purchase): Promise<Answer | null> {
    return this.desk.newerMessage(shown);
  }

  describePurchase(purchase: Purchase): { what: string; amount: number } {
    return describePurchase(purchase);
  }

  purchaseMessage(purchase: Purchase): Promise<Answer> {
    return this.desk.message(purchase);
  }

  burn(workspaceId: string, now: Date): Promise<Burn> {
    return this.burnRates.get(workspaceId, now);
  }

  /** What the usage chart reads: the ledger's facades and this core's burn rate. */
  chartDeps() {
    return { ...this.deps, burn: (workspaceId: string, now: Date) => this.burn(workspaceId, now) };
  }

  failure(error: unknown): Answer {
    return failure(error, this.deps.log);
  }
}
