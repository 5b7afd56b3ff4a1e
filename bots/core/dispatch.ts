import { refuseUnlessAllowed } from './access.js';
import { ask } from './answers/index.js';
import type { AnswerContext } from './context.js';
import { credits, money } from './format.js';
import { knownNames } from './lines.js';
import { matchPackage } from './match.js';
import { type ItemsParse, type Parsed, parseCommand, parseText } from './parse.js';
import { clarify, simple } from './replies.js';
import { type Answer, MAX_CHOICE_ID, type Said } from './types.js';

/**
 * From what was said to one answer: read it (today with parse.ts), then ask the answer it names
 * through `ask`, which applies the policy table. The understanding layer replaces the reading.
 */
export function dispatch(ctx: AnswerContext, said: Said): Promise<Answer> {
  return answerParsed(ctx, read(ctx, said));
}

/** A choice id of this dispatcher is `c:` and the line it stands for (typed by the asker, it would ask the same). */
function read(ctx: AnswerContext, said: Said): Parsed {
  switch (said.kind) {
    case 'text':
      return parseText(ctx.catalog, said.text);
    case 'command':
      return parseCommand(ctx.catalog, said.command, said.args);
    case 'choice':
      return said.id.startsWith('c:') && said.id.length <= MAX_CHOICE_ID
        ? parseText(ctx.catalog, said.id.slice(2))
        : { intent: 'help', reason: 'That choice has expired.' };
  }
}

async function answerParsed(ctx: AnswerContext, parsed: Parsed): Promise<Answer> {
  switch (parsed.intent) {
    case 'balance':
      return ask(ctx, 'balance', parsed.focus ? { focus: parsed.focus } : {});
    case 'renewal':
      return ask(ctx, 'renewal');
    case 'runway':
      return ask(ctx, 'runway');
    case 'why':
      return ask(ctx, 'why', parsed.claimed !== undefined ? { claimed: parsed.claimed } : {});
    case 'estimate':
      return estimate(ctx, parsed.items, parsed.afford);
    case 'campaign':
      return ask(ctx, 'campaign', parsed);
    case 'history':
      if (parsed.unknownOperation) {
        return (
          refuseUnlessAllowed(ctx.who, ctx.platform, 'history') ??
          simple('history', `I don't know "${parsed.unknownOperation}". ${knownNames(ctx.catalog)}`)
        );
      }
      return ask(ctx, 'history', {
        limit: parsed.limit,
        ...(parsed.operation ? { operation: parsed.operation } : {}),
      });
    case 'usage':
      return ask(ctx, 'usage', parsed.by ? { by: parsed.by } : {});
    case 'buy':
      return buy(ctx, parsed.phrase);
    case 'alerts':
      if (parsed.set) return ask(ctx, 'setAlerts', parsed.set);
      if (parsed.invalid)
        return refuseUnlessAllowed(ctx.who, ctx.platform, 'alerts') ?? simple('alerts', parsed.invalid);
      return ask(ctx, 'alerts');
    case 'pending':
      return ask(ctx, 'pending');
    case 'audit':
      return ask(ctx, 'audit', parsed.about ? { about: parsed.about } : {});
    case 'decide':
      return ask(ctx, 'decide', { decision: parsed.decision, purchaseId: parsed.purchaseId });
    default:
      return ask(ctx, 'help', parsed.reason ? { reason: parsed.reason } : {});
  }
}

/** Priced items; one phrase that could be two or three things becomes a question back. */
function estimate(ctx: AnswerContext, items: ItemsParse, afford: boolean): Promise<Answer> {
  const refused = refuseUnlessAllowed(ctx.who, ctx.platform, 'estimate');
  if (refused) return Promise.resolve(refused);
  const [only] = items.ambiguous;
  if (items.items.length === 0 && items.unknown.length === 0 && items.ambiguous.length === 1 && only) {
    const choices = only.candidates.slice(0, 3).map((label) => ({
      id: `c:estimate ${label}`.slice(0, MAX_CHOICE_ID + 1),
      label,
    }));
    if (choices.length >= 2 && choices.every((c) => c.id.length <= MAX_CHOICE_ID)) {
      return Promise.resolve(clarify(`"${only.phrase}" could be more than one thing. Which one?`, choices));
    }
  }
  const notes: string[] = [];
  for (const a of items.ambiguous) {
    notes.push(`"${a.phrase}" could be ${a.candidates.slice(0, 4).join(' or ')} — say which.`);
  }
  for (const u of items.unknown) notes.push(`I don't know "${u}". ${knownNames(ctx.catalog)}`);
  if (items.items.length === 0) {
    return Promise.resolve({
      intent: 'estimate',
      text: notes.join('\n'),
      blocks: notes.map((text) => ({ type: 'section', text })),
    });
  }
  for (const i of items.items.filter((i) => i.fuzzy))
    notes.push(`Reading "${i.phrase}" as ${i.resolved.label}.`);
  return ask(ctx, 'estimate', {
    items: items.items.map((i) => ({
      operation: i.resolved.operation,
      quantity: i.quantity,
      params: { ...i.resolved.params, ...(i.complexity ? { complexity: i.complexity } : {}) },
      label: i.resolved.label,
    })),
    afford,
    notes,
  });
}

function buy(ctx: AnswerContext, phrase: string): Promise<Answer> {
  const refused = refuseUnlessAllowed(ctx.who, ctx.platform, 'buy');
  if (refused) return Promise.resolve(refused);
  const { catalog } = ctx;
  const list = catalog.packages
    .map((p) => `${p.key} (${credits(p.credits)}, ${money(p.price, catalog.currency)})`)
    .join(', ');
  if (!phrase)
    return Promise.resolve(
      simple('buy', `Which package? ${list}. Say e.g. \`buy ${catalog.packages[0]?.key ?? 'small'}\`.`),
    );
  const match = matchPackage(catalog, phrase);
  if (match.kind === 'none')
    return Promise.resolve(simple('buy', `There is no package "${phrase}". Packages: ${list}.`));
  if (match.kind === 'ambiguous')
    return Promise.resolve(
      simple('buy', `"${phrase}" could be ${match.candidates.join(' or ')} — which one?`),
    );
  return ask(ctx, 'buy', { package: match.package.key, ...(match.fuzzy ? { readAs: phrase } : {}) });
}
