import type { BotCore } from '../core.js';
import { dayTime } from '../format.js';
import type { Identity } from '../identity.js';
import type { Parsed } from '../parse.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

const ACTIONS: Record<string, string[]> = {
  alerts: ['alerts.changed'],
  auto_top_up: ['auto_top_up.changed'],
  keys: ['key.created', 'key.revoked'],
  members: ['member.added', 'member.changed', 'member.role_changed'],
  purchases: ['purchase.approved', 'purchase.rejected'],
};

const WHAT: Record<string, string> = {
  'alerts.changed': 'changed the alert thresholds',
  'auto_top_up.changed': 'changed auto top-up',
  'key.created': 'created an API key',
  'key.revoked': 'revoked an API key',
  'member.added': 'added a member',
  'member.changed': 'changed a member',
  'member.role_changed': 'changed a role',
  'purchase.approved': 'approved a purchase',
  'purchase.rejected': 'rejected a purchase',
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** "who changed our alerts?": the latest audit entries, newest first (owners and admins). */
export async function auditAnswer(
  core: BotCore,
  who: Identity,
  parsed: Extract<Parsed, { intent: 'audit' }>,
): Promise<Answer> {
  const actions = parsed.about ? ACTIONS[parsed.about]! : null;
  const page = await core.deps.ledger.audit.list(who.workspaceId, { limit: actions ? 50 : 8 });
  const entries = (actions ? page.items.filter((e) => actions.includes(e.action)) : page.items).slice(0, 8);
  if (entries.length === 0)
    return simple('help', `No recorded change${parsed.about ? ' of that' : ''} in ${who.workspaceName} yet.`);
  const names = new Map(
    (await core.deps.directory.members(who.workspaceId)).map((m) => [`member:${m.id}`, m.name]),
  );
  const now = core.deps.ledger.now();
  const lines = entries.map(
    (e) =>
      `• ${dayTime(e.at, now)} — ${names.get(e.actor) ?? e.actor} ${WHAT[e.action] ?? e.action} via ${e.channel}` +
      (e.action.endsWith('.changed')
        ? `: ${shown(e.before)} → ${shown(e.after)}`
        : e.target
          ? ` (${e.target})`
          : ''),
  );
  const text = [`Latest changes in ${who.workspaceName}:`, ...lines].join('\n');
  return { intent: 'help', text, blocks: [{ type: 'section', text }] };
}
