import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../integrations/n8n/nodes/CreditsTrigger/CreditsTrigger.node.js';
import { WEBHOOK_EVENT_TYPES } from '../../ledger/stores/webhooks.js';

describe('the n8n trigger offers every event the webhook sends', () => {
  it('lists exactly the webhook contract event types (a new event type is offered in n8n too)', () => {
    expect(EVENT_TYPES.map((e) => e.value).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});
