import { AlertSettings } from '../../application/alert-settings.js';
import type { ChatAction } from '../../application/policies.js';
import type { Purchase, Purchases } from '../../application/purchases.js';
import type { WebAccess } from '../../application/web-access.js';
import type { Catalog } from '../../ledger/catalog/schema.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Reports } from '../../ledger/reports.js';
import type { WorkspaceDirectory } from '../../ledger/workspaces.js';
import { refuseUnlessAllowed } from './access.js';
import { alertsAnswer } from './answers/alerts.js';
import { auditAnswer } from './answers/audit.js';
import { balanceAnswer, renewalAnswer, runwayAnswer } from './answers/balance.js';
import { campaignAnswer, estimateAnswer } from './answers/estimate.js';
import { historyAnswer, usageAnswer } from './answers/history.js';
import {
  buyAnswer,
  decide,
  decideAnswer,
  describePurchase,
  newerPurchaseMessage,
  pendingAnswer,
  purchaseMessage,
} from './answers/purchase.js';
import { signInAnswer } from './answers/sign-in.js';
import { whyAnswer } from './answers/why.js';
import { type Burn, BurnRates } from './burn.js';
import { type Identified, type Identity, identify } from './identity.js';
import { type Parsed, parseCommand, parseText } from './parse.js';
import { failure, help } from './replies.js';
import type { Answer, Asker, BotRequest } from './types.js';

export { runwayLine } from './answers/balance.js';
export type { Burn } from './burn.js';
export type { Identified, Identity } from './identity.js';
export { help } from './replies.js';

/** Longer chat text is answered politely and never parsed (a question fits in far less). */
export const MAX_CHAT_TEXT = 2000;

function tooLong(length: number): Answer {
  const text = `That message is too long for me (${length.toLocaleString('en-US')} characters; I read up to ${MAX_CHAT_TEXT.toLocaleString('en-US')}). Please ask one short question at a time, e.g. "how many credits left?"`;
  return { intent: 'help', text, blocks: [{ type: 'section', text }], ephemeral: true };
}

export interface CoreDeps {
  ledger: Ledger;
  reports: Reports;
  directory: WorkspaceDirectory;
  catalog: Catalog;
  /** The purchase flow (Temporal); without it, `buy` and approvals say the worker is needed. */
  purchases?: Purchases;
  /** How long a workspace's 30-day burn rate is reused (it moves slowly); default 60 s. */
  burnCacheMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** Sign-in links to the web console (`/credits web`). */
  webAccess?: WebAccess;
  /** Where sign-in links point (PUBLIC_URL); default http://127.0.0.1:3000. */
  publicUrl?: string;
}

/**
 * The conversational core: one request in, one platform-neutral answer out; it never throws.
 * Each answer lives in `answers/`; this class identifies the asker and dispatches.
 */
/** The policy table's name for what is asked (application/policies.ts CHAT_POLICIES). */
function chatActionOf(parsed: Parsed): ChatAction {
  if (parsed.intent === 'alerts') return parsed.set ? 'setAlerts' : 'alerts';
  return parsed.intent;
}

export class BotCore {
  readonly alertSettings: AlertSettings;
  private readonly burnRates: BurnRates;

  constructor(readonly deps: CoreDeps) {
    this.alertSettings = new AlertSettings({
      directory: deps.directory,
      changes: deps.ledger.changes,
      defaults: deps.catalog.alerts,
    });
    this.burnRates = new BurnRates(deps.ledger, deps.burnCacheMs);
  }

  get catalog(): Catalog {
    return this.deps.catalog;
  }

  async answer(request: BotRequest): Promise<Answer> {
    const length = (request.text?.length ?? 0) + (request.command?.length ?? 0) + (request.args?.length ?? 0);
    if (length > MAX_CHAT_TEXT) return tooLong(length);
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
      return failure(error, this.deps.log);
    }
  }

  /** Resolves who asks and about which workspace, or a refusal saying what the operator must link. */
  identify(asker: Asker): Promise<Identified> {
    return identify(this.deps.directory, asker);
  }

  /** An Approve / Reject button was pressed (see answers/purchase.ts). */
  decide(
    asker: Asker,
    purchaseId: string,
    decision: 'approve' | 'reject',
  ): Promise<{ ok: boolean; answer: Answer; purchase?: Purchase }> {
    return decide(this, asker, purchaseId, decision);
  }

  newerPurchaseMessage(shown: Purchase): Promise<Answer | null> {
    return newerPurchaseMessage(this, shown);
  }

  describePurchase(purchase: Purchase): { what: string; amount: number } {
    return describePurchase(purchase);
  }

  purchaseMessage(purchase: Purchase): Promise<Answer> {
    return purchaseMessage(this, purchase);
  }

  burn(workspaceId: string, now: Date): Promise<Burn> {
    return this.burnRates.get(workspaceId, now);
  }

  failure(error: unknown): Answer {
    return failure(error, this.deps.log);
  }

  private async dispatch(parsed: Parsed, who: Identity, request: BotRequest, now: Date): Promise<Answer> {
    const refused = refuseUnlessAllowed(who, request.platform, chatActionOf(parsed));
    if (refused) return refused;
    switch (parsed.intent) {
      case 'balance':
        return balanceAnswer(this, who, now, parsed.focus);
      case 'renewal':
        return renewalAnswer(this, who, now);
      case 'runway':
        return runwayAnswer(this, who, now);
      case 'why':
        return whyAnswer(this, who, now, parsed.claimed);
      case 'estimate':
        return estimateAnswer(this, who, parsed.items, parsed.afford);
      case 'campaign':
        return campaignAnswer(this, who, parsed);
      case 'history':
        return historyAnswer(this, who, now, parsed);
      case 'usage':
        return usageAnswer(this, who, now, parsed.by);
      case 'buy':
        return buyAnswer(this, who, request, parsed.phrase);
      case 'alerts':
        return alertsAnswer(this, who, parsed, request.platform);
      case 'pending':
        return pendingAnswer(this, who);
      case 'audit':
        return auditAnswer(this, who, parsed);
      case 'decide':
        return decideAnswer(this, request, parsed);
      case 'web':
        return signInAnswer(this.deps, who, request.platform);
      default:
        return help(parsed.reason);
    }
  }
}
