import { describe, expect, it } from 'vitest';
import type { Purchase } from '../../application/purchases.js';
import { PurchaseDesk } from '../../bots/core/purchase-desk.js';

const desk = new PurchaseDesk({
  directory: {
    member: async () => ({ id: 'olivia', name: 'Olivia', role: 'owner' }) as never,
    memberByChatUser: async () => null,
    workspace: async () => ({}) as never,
  },
  changes: {} as never,
  clock: () => new Date('2026-12-08T10:00:00Z'),
  identify: async () => ({ ok: false }) as never,
});

const purchase = (status: Purchase['status'], reason: string | null): Purchase => ({
  id: 'purchase-acme-1',
  workspaceId: 'acme',
  package: 'small',
  packageName: 'Small',
  credits: 1000,
  price: 50,
  currency: 'USD',
  status,
  requestedBy: 'olivia',
  source: 'slack',
  decidedBy: 'olivia',
  reason,
  createdAt: '2026-12-08T09:00:00Z',
  approvalDeadline: null,
  automatic: false,
});

describe('what the channel reads about a Stripe payment', () => {
  it('gives the approver the Stripe page when the card needs the customer', async () => {
    const url = 'https://checkout.stripe.com/c/pay/cs_test_1';
    const answer = await desk.message(
      purchase('awaiting_payment', `pay on the payment page ${url} by 2026-12-09 10:10 UTC`),
    );
    const text = JSON.stringify(answer);
    expect(text).toContain('Payment needed');
    expect(text).toContain(url);
    expect(text).toContain('Nothing was charged yet');
    expect(text).not.toContain('approve');
  });

  it("names Stripe's decline reason when the card fails", async () => {
    const reason =
      'payment failed: Stripe declined the card: Your card has insufficient funds. (insufficient_funds); nothing was granted';
    const text = JSON.stringify(await desk.message(purchase('failed', reason)));
    expect(text).toContain('Failed');
    expect(text).toContain('insufficient_funds');
    expect(text).toContain('No credits were granted');
  });
});
