import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../../ledger/stores/webhooks.js';
import { EVENT_TYPES } from '../nodes/CreditsTrigger/CreditsTrigger.node.js';

describe('the n8n trigger offers every event the webhook sends', () => {
  it('lists exactly the webhook contract event types (a new event type is offered in n8n too)', () => {
    expect(EVENT_TYPES.map((e) => e.value).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});
