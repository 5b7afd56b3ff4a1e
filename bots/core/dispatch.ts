import { resolveName } from '../../ledger/pricing.js';
import { decodeChoice, encodeChoice } from '../understanding/choice.js';
import type { Intent, Reading, Slots, Vocabulary } from '../understanding/types.js';
import { Understander } from '../understanding/understand.js';
import { refuseUnlessAllowed } from './access.js';
import { ask } from './answers/index.js';
import { refundRequested } from './answers/refund.js';
import type { AnswerContext } from './context.js';
import { credits, DAY_MS, money } from './format.js';
import { knownNames } from './lines.js';
import { clarify, simple } from './replies.js';
import { type Answer, type Choice, MAX_CHOICE_ID, type Said } from './types.js';

/**
 * From what was said to one answer: the understanding layer reads it (bots/understanding), and
 * the reading's intent and slots pick one answer through `ask`, which applies the policy table.
 * Below the confidence threshold the asker gets the closest readings to choose from.
 */
export async function dispatch(ctx: AnswerContext, said: Said): Promise<Answer> {
  if (said.kind === 'choice') {
    const chosen = said.id.length <= MAX_CHOICE_ID ? decodeChoice(said.id, ctx.catalog) : undefined;
    if (!chosen) return ask(ctx, 'help', { reason: 'That choice has expired.' });
    return answer(ctx, chosen.intent, chosen.slots, [], []);
  }
  // "refund purchase-…" is read here: the understanding layer has no slot for a purchase id.
  const refundOf = refundRequested(said.kind === 'text' ? said.text : `${said.command} ${said.args}`);
  if (refundOf) return ask(ctx, 'refund', { purchaseId: refundOf });
  // A raise decided where there are no buttons (the console): `approve raise_…` / `reject raise_…`.
  const raise = raiseDecision(said);
  if (raise) return ask(ctx, 'decideRaise', raise);
  const understander = await Understander.shared();
  const vocab = await vocabulary(ctx, said.kind === 'text' ? said.text : said.args);
  const reading =
    said.kind === 'text'
      ? await understander.read(said.text, vocab, ctx.now)
      : await understander.command(said.command, said.args, vocab, ctx.now);
  if (reading.clarify)
    return askBack(ctx, reading, said.kind === 'text' ? said.text : `${said.command} ${said.args}`);
  const text = said.kind === 'text' ? said.text : said.args;
  return answer(ctx, reading.intent, reading.slots, notesOf(reading), reading.unknown, text);
}

function raiseDecision(said: Said): { raiseId: string; decision: 'approve' | 'reject' } | null {
  const text =
    said.kind === 'command' ? `${said.command} ${said.args}` : said.kind === 'text' ? said.text : '';
  const m = /^\s*(approve|reject)\s+(raise_[0-9a-f]{8,64})\s*$/i.exec(text);
  return m ? { decision: m[1]!.toLowerCase() as 'approve' | 'reject', raiseId: m[2]! } : null;
}

/** The catalog and, when the text could name someone, the members (one read, skipped for `/credits balance`). */
async function vocabulary(ctx: AnswerContext, text: string): Promise<Vocabulary> {
  const members = text.trim() ? await ctx.reads.members() : [];
  return { catalog: ctx.catalog, members };
}

function notesOf(r: Reading): string[] {
  const notes: string[] = [];
  for (const i of r.slots.items ?? []) {
    if (i.fuzzy) notes.push(`Reading "${i.phrase}" as ${i.label}.`);
    if (!i.quantityStated) notes.push(`You didn't say how many ${i.label}: priced 1.`);
  }
  for (const a of r.ambiguous)
    notes.push(`"${a.phrase}" could be ${a.candidates.slice(0, 4).join(' or ')} — say which.`);
  if (r.ignored.length > 0) notes.push(`Not used in this answer: ${r.ignored.join(', ')}.`);
  return notes;
}

function withNotes(answer: Answer, notes: string[]): Answer {
  if (notes.length === 0 || answer.intent === 'refusal') return answer;
  const text = notes.join(' ');
  return {
    ...answer,
    text: `${answer.text}\n${text}`,
    blocks: [...answer.blocks, { type: 'context', text }],
  };
}

/** "Did you mean …": the reading and its closest alternatives, each a self-contained choice. */
function askBack(ctx: AnswerContext, r: Reading, said: string): Promise<Answer> {
  const choices: Choice[] = [];
  for (const c of [{ intent: r.intent, slots: r.slots, label: r.label }, ...r.alternatives]) {
    const id = encodeChoice(c.intent, c.slots, MAX_CHOICE_ID);
    if (id && !choices.some((x) => x.id === id) && choices.length < 3) choices.push({ id, label: c.label });
  }
  const shown = said.trim().slice(0, 80);
  // Unsure, but most likely nothing we answer ("tell me a joke"): the help is never a wrong answer.
  if (choices.length < 2 || r.intent === 'help')
    return ask(ctx, 'help', { reason: `I didn't understand "${shown}".` });
  return Promise.resolve(clarify(`I'm not sure what "${shown}" asks. Did you mean:`, choices));
}

/** Why a raise is asked for: what follows "for" ("… for the launch"), else the question itself. */
function raiseReason(text: string): string {
  const said = text.trim().slice(0, 500);
  const m = /\bfor\s+(.+)$/i.exec(said);
  return (m?.[1] ?? said).trim() || 'asked in chat';
}

function answer(
  ctx: AnswerContext,
  intent: Intent,
  s: Slots,
  notes: string[],
  unknown: string[],
  text = '',
): Promise<Answer> {
  return route(ctx, intent, s, notes, unknown, text).then((a) =>
    intent === 'estimate' || intent === 'afford' ? a : withNotes(a, notes),
  );
}

async function route(
  ctx: AnswerContext,
  intent: Intent,
  s: Slots,
  notes: string[],
  unknown: string[],
  text: string,
): Promise<Answer> {
  switch (intent) {
    case 'balance':
      return ask(ctx, 'balance', {});
    case 'expiry':
      return ask(ctx, 'balance', { focus: 'expiry' });
    case 'renewal':
      return ask(ctx, 'renewal');
    case 'runway':
      return ask(ctx, 'runway');
    case 'why':
      return ask(ctx, 'why', s.amount !== undefined ? { claimed: s.amount } : {});
    case 'estimate':
    case 'afford':
      return estimate(ctx, intent === 'afford', s, notes, unknown);
    case 'history':
      return ask(ctx, 'history', {
        limit: s.limit ?? 10,
        ...(s.operation ? { operation: s.operation.key } : {}),
      });
    case 'usage':
    case 'top_spender':
      return usage(ctx, intent, s);
    case 'packages':
    case 'buy':
      return buy(ctx, intent, s.package, s.packageReadAs);
    case 'need_credits':
      return ask(ctx, 'needCredits');
    case 'pending':
      return ask(ctx, 'pending');
    case 'approve':
    case 'reject':
      return ask(ctx, 'decide', { decision: intent, purchaseId: s.purchaseId ?? null });
    case 'audit':
      return ask(ctx, 'audit', s.audit ? { about: s.audit } : {});
    case 'alerts':
      return ask(ctx, 'alerts');
    case 'set_alerts':
      if (!s.thresholds || (s.thresholds.low === undefined && s.thresholds.critical === undefined))
        return (
          refuseUnlessAllowed(ctx.who, ctx.platform, 'setAlerts') ??
          simple('alerts', 'Say which threshold and the new value, e.g. `alerts low 200 critical 20`.')
        );
      return ask(ctx, 'setAlerts', s.thresholds);
    case 'plan':
      return ask(ctx, 'plan');
    case 'sub_vs_purchased':
      return ask(ctx, 'creditTypes');
    case 'auto_top_up':
      return ask(ctx, 'autoTopUp');
    case 'set_auto_top_up':
      return ask(ctx, 'setAutoTopUp', {
        ...(s.toggle ? { enabled: s.toggle === 'on' } : {}),
        ...(s.amount !== undefined ? { below: s.amount } : {}),
        ...(s.package ? { package: s.package } : {}),
      });
    case 'keys':
      return ask(ctx, 'keys');
    case 'web':
      return ask(ctx, 'web');
    case 'set_budget':
      return ask(ctx, 'setBudget', {
        ...(s.member ? { member: s.member.id } : {}),
        ...(s.amount !== undefined ? { amount: s.amount } : {}),
        ...(s.period ? { period: s.period } : {}),
      });
    case 'budget_usage':
    case 'budgets':
      return ask(ctx, 'budgets', s.member ? { member: s.member.id } : {});
    case 'raise_budget':
      return ask(ctx, 'requestRaise', {
        ...(s.amount !== undefined ? { amount: s.amount } : {}),
        reason: raiseReason(text),
      });
    case 'greeting':
    case 'thanks':
      return ask(ctx, 'smallTalk', { kind: intent });
    case 'help':
      return ask(ctx, 'help', {});
  }
}

/** Priced items, each with the exact quantity priced; one phrase that could be several things is asked back. */
function estimate(
  ctx: AnswerContext,
  afford: boolean,
  s: Slots,
  notes: string[],
  unknown: string[],
): Promise<Answer> {
  const refused = refuseUnlessAllowed(ctx.who, ctx.platform, 'estimate');
  if (refused) return Promise.resolve(refused);
  if (s.campaign) {
    const { assumptions, ...campaign } = s.campaign;
    return ask(ctx, 'campaign', { campaign, afford, assumptions }).then((a) => withNotes(a, notes));
  }
  const items = s.items ?? [];
  const all = [...notes, ...unknown.map((u) => `I don't know "${u}". ${knownNames(ctx.catalog)}`)];
  if (items.length === 0) {
    const text =
      all.length > 0
        ? all.join('\n')
        : `Tell me what to price, e.g. "how much would 3 veo videos cost?". ${knownNames(ctx.catalog)}`;
    const ambiguous = /^"(.+)" could be (.+) — say which\.$/.exec(notes[0] ?? '');
    if (ambiguous && notes.length === 1) {
      const choices = ambiguous[2]!
        .split(' or ')
        .slice(0, 3)
        .flatMap((label) => {
          const hit = resolveName(ctx.catalog, label);
          const model = hit && Object.values(hit.params)[0];
          const id = hit
            ? encodeChoice(
                afford ? 'afford' : 'estimate',
                {
                  items: [
                    {
                      operation: hit.operation,
                      ...(model ? { model } : {}),
                      quantity: 1,
                      quantityStated: true,
                      phrase: label,
                      label,
                      fuzzy: false,
                    },
                  ],
                },
                MAX_CHOICE_ID,
              )
            : undefined;
          return id ? [{ id, label }] : [];
        });
      if (choices.length >= 2)
        return Promise.resolve(
          clarify(`"${ambiguous[1]}" could be more than one thing. Which one?`, choices),
        );
    }
    return Promise.resolve({
      intent: 'estimate',
      text,
      blocks: text.split('\n').map((t) => ({ type: 'section' as const, text: t })),
    });
  }
  return ask(ctx, 'estimate', {
    items: items.map((i) => {
      const op = ctx.catalog.operations.find((o) => o.key === i.operation);
      const param = op?.rule.type === 'tier' ? op.rule.param : 'model';
      return {
        operation: i.operation,
        quantity: i.quantity,
        params: {
          ...(i.model ? { [param]: i.model } : {}),
          ...(i.complexity ? { complexity: i.complexity } : {}),
        },
        label: i.label,
      };
    }),
    afford,
    notes: all,
  });
}

function usage(ctx: AnswerContext, intent: 'usage' | 'top_spender', s: Slots): Promise<Answer> {
  const narrowed = s.window || s.member || s.operation || s.groupBy === 'source' || intent === 'top_spender';
  if (!narrowed) return ask(ctx, 'usage', s.groupBy === 'member' ? { by: 'member' } : {});
  // A window open up to now includes what happened at this very millisecond (`to` is exclusive).
  const until = (t: number) => new Date(t >= ctx.now.getTime() ? ctx.now.getTime() + 1 : t);
  const window = s.window
    ? { from: new Date(s.window.from), to: until(Date.parse(s.window.to)), label: s.window.label }
    : {
        from: new Date(ctx.now.getTime() - 30 * DAY_MS),
        to: until(ctx.now.getTime()),
        label: 'in the last 30 days',
      };
  const member = s.member ? (s.member.id === '@me' ? ctx.who.member.id : s.member.id) : undefined;
  const groupBy = intent === 'top_spender' ? 'member' : s.groupBy === 'source' ? undefined : s.groupBy;
  return ask(ctx, 'usage', {
    window,
    ...(member ? { member } : {}),
    ...(s.operation ? { operation: s.operation.key } : {}),
    ...(groupBy ? { groupBy } : {}),
  });
}

function buy(
  ctx: AnswerContext,
  intent: 'packages' | 'buy',
  pkg: string | undefined,
  readAs?: string,
): Promise<Answer> {
  const refused = refuseUnlessAllowed(ctx.who, ctx.platform, intent === 'buy' ? 'buy' : 'balance');
  if (refused) return Promise.resolve(refused);
  const { catalog } = ctx;
  const list = catalog.packages
    .map((p) => `${p.key} (${credits(p.credits)}, ${money(p.price, catalog.currency)})`)
    .join(', ');
  if (intent === 'buy' && pkg) return ask(ctx, 'buy', { package: pkg, ...(readAs ? { readAs } : {}) });
  const how = ctx.platform === 'console' ? '`buy <package>`' : '`/credits buy <package>`';
  return Promise.resolve(
    simple(
      'buy',
      `Packages: ${list}. Buy one with ${how}, e.g. \`buy ${catalog.packages[0]?.key ?? 'small'}\`.`,
    ),
  );
}
