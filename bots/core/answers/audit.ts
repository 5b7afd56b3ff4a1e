import type { AnswerContext } from '../context.js';
import { dayTime } from '../format.js';
import { simple } from '../replies.js';
import type { Answer } from '../types.js';

export type AuditTopic = 'alerts' | 'auto_top_up' | 'keys' | 'members' | 'purchases';

const ACTIONS: Record<AuditTopic, string[]> = {
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
  'webhook.changed': 'changed the webhook endpoint',
  'webhook.rotated': 'rotated the webhook secret',
  'webhook.removed': 'removed the webhook endpoint',
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** "who changed our alerts?": the latest audit entries, newest first (owners and admins). */
export async function auditAnswer(
  ctx: Pick<AnswerContext, 'who' | 'now' | 'reads'>,
  params: { about?: AuditTopic } = {},
): Promise<Answer> {
  const { who, now } = ctx;
  const actions = params.about ? ACTIONS[params.about] : null;
  const items = await ctx.reads.auditLog(actions ? 50 : 8);
  const entries = (actions ? items.filter((e) => actions.includes(e.action)) : items).slice(0, 8);
  if (entries.length === 0)
    return simple('help', `No recorded change${params.about ? ' of that' : ''} in ${who.workspaceName} yet.`);
  const names = new Map((await ctx.reads.members()).map((m) => [`member:${m.id}`, m.name]));
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
