import { describe, expect, it } from 'vitest';
import { ROLE_SCOPES } from '../../application/access.js';
import { CHAT_POLICIES, type ChatAction } from '../../application/policies.js';
import { ANSWERS, ask } from '../../bots/core/answers/index.js';
import { ROLES } from '../../ledger/types.js';
import { useTestDatabase } from '../support/db.js';
import { botWorld } from './support.js';

const sql = useTestDatabase(4);

describe('every chat question declares who may ask it', () => {
  it('has a policy for each answer and an answer for each policy', () => {
    expect(Object.keys(ANSWERS).sort()).toEqual(Object.keys(CHAT_POLICIES).sort());
  });

  it('refuses, before answering, every role the policy leaves out', async () => {
    const w = botWorld(sql);
    const ws = await w.workspace();
    let refusals = 0;
    for (const role of ROLES) {
      const who = await w.core.identify({ platform: 'console', workspaceId: ws.id, memberId: role });
      if (!who.ok) throw new Error(`no ${role}`);
      const ctx = w.core.contextFor(
        who.identity,
        { platform: 'console', workspaceId: ws.id, memberId: role },
        w.now(),
      );
      for (const action of Object.keys(CHAT_POLICIES) as ChatAction[]) {
        const need = CHAT_POLICIES[action];
        if (!('scope' in need) || ROLE_SCOPES[role].includes(need.scope)) continue;
        // Parameters never matter: the refusal comes first.
        const answer = await (ask as (c: unknown, a: ChatAction, p?: unknown) => Promise<{ intent: string }>)(
          ctx,
          action,
          undefined,
        );
        expect(answer.intent, `${role} asking ${action}`).toBe('refusal');
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(5);
  });
});
