import { type AutoTopUpPolicy, policyOf } from '../../../application/auto-top-up.js';
import type { Catalog } from '../../../ledger/catalog/schema.js';
import { isCreditsError } from '../../../ledger/errors.js';
import { mayDo } from '../access.js';
import type { AnswerContext } from '../context.js';
import { credits, money } from '../format.js';
import { refusal, simple } from '../replies.js';
import type { Answer } from '../types.js';

function describe(policy: AutoTopUpPolicy, catalog: Catalog): string {
  const pkg = catalog.packages.find((p) => p.key === policy.package);
  const what = pkg
    ? `${pkg.name} (${credits(pkg.credits)} for ${money(pkg.price, catalog.currency)})`
    : policy.package;
  const budget =
    policy.monthlyBudget > 0
      ? `approved automatically up to ${money(policy.monthlyBudget, catalog.currency)} a month, then an owner or admin approves`
      : 'each one approved by an owner or admin';
  return `when the balance falls below ${credits(policy.below)}, buy ${what}, ${budget}`;
}

/** "is auto top-up on?" */
export async function autoTopUpAnswer(
  ctx: Pick<AnswerContext, 'who' | 'reads' | 'catalog'>,
): Promise<Answer> {
  const { who, catalog } = ctx;
  const policy = policyOf((await ctx.reads.workspace()).settings, catalog);
  const text = !policy
    ? `Auto top-up is not set up for ${who.workspaceName}.`
    : policy.enabled
      ? `Auto top-up is on: ${describe(policy, catalog)}.`
      : `Auto top-up is off (when on: ${describe(policy, catalog)}).`;
  const hint = mayDo(who, 'setAutoTopUp')
    ? ' Change it with e.g. "turn auto top-up on", "auto top-up below 500 with medium".'
    : '';
  return simple('alerts', text + hint);
}

export interface AutoTopUpChange {
  enabled?: boolean;
  below?: number;
  package?: string;
  monthlyBudget?: number;
}

/**
 * "turn auto top-up on" / "auto top-up below 500": the change merged into the policy in force and
 * saved through the application's use case (its limits, its audit, and its rule on who may set or
 * raise the automatically approved budget).
 */
export async function setAutoTopUpAnswer(
  ctx: Pick<AnswerContext, 'who' | 'reads' | 'catalog' | 'autoTopUp'>,
  change: AutoTopUpChange,
): Promise<Answer> {
  const { who, catalog } = ctx;
  const current = policyOf((await ctx.reads.workspace()).settings, catalog);
  const merged = { ...(current ?? { enabled: true, monthlyBudget: 0 }), ...change };
  const missing = (['below', 'package'] as const).filter((k) => merged[k] === undefined);
  if (missing.length > 0) {
    return simple(
      'alerts',
      `Auto top-up is not set up yet: say ${missing.map((k) => (k === 'below' ? 'below which balance' : 'which package')).join(' and ')}, e.g. "auto top-up below 500 with ${catalog.packages[0]?.key ?? 'small'}".`,
    );
  }
  try {
    const saved = await ctx.autoTopUp.save(merged);
    const state = saved.enabled ? `on: ${describe(saved, catalog)}` : 'off';
    return simple(
      'alerts',
      `Auto top-up of ${who.workspaceName} is now ${state}. Changed by ${who.member.name}.`,
    );
  } catch (error) {
    if (!isCreditsError(error)) throw error;
    if (error.code === 'forbidden') return refusal(`I can't change that as you: ${error.message}.`);
    if (error.code === 'invalid_request') {
      const fields = (error.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
      const why = fields?.map((i) => `${i.field.replace('autoTopUp.', '')} ${i.message}`).join('; ');
      return simple('alerts', `That auto top-up doesn't work: ${why || error.message}.`);
    }
    throw error;
  }
}
