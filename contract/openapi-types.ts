// Generated from contract/openapi.json by `npm run openapi:write` (openapi-typescript); do not edit.

export interface paths {
  '/v1/workspaces': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List workspaces (operator) */
    get: operations['listWorkspaces'];
    put?: never;
    /** Create a workspace (operator) */
    post: operations['createWorkspace'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a workspace */
    get: operations['getWorkspace'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change plan, subscription status or name (operator) */
    patch: operations['updateWorkspace'];
    trace?: never;
  };
  '/v1/workspaces/{ws}/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List members */
    get: operations['listMembers'];
    put?: never;
    /** Add (or update) a member; audited (members:manage) */
    post: operations['createMember'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/chat-links': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List chat links */
    get: operations['listChatLinks'];
    put?: never;
    /** Link a Slack team / Discord guild (or one channel) to the workspace (operator) */
    post: operations['createChatLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/alerts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Balance alert thresholds (`depleted` at 0 is implicit) */
    get: operations['getAlerts'];
    /** Set balance alert thresholds (low > critical ≥ 0) */
    put: operations['putAlerts'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the workspace’s keys, without secrets */
    get: operations['listApiKeys'];
    put?: never;
    /** Create a scoped API key; the secret is shown once (a key can only hand out scopes it holds) */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a key at once, on every replica */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who changed keys, members, roles, thresholds and auto top-up, and who decided purchases */
    get: operations['getAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/whoami': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The calling key: its workspace, scopes, member and id */
    get: operations['getWhoami'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/balance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Balance: total, by type, next expiry, renewal, lifetime used, last transaction */
    get: operations['getBalance'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/lots': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Lots that still hold credits, in consumption order */
    get: operations['listLots'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/debits': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Consume credits (an amount, or an operation priced by the catalog), all or nothing */
    post: operations['createDebit'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Grant credits as a new lot (operator) */
    post: operations['createGrant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/adjustments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Operator correction with a reason: > 0 adds a lot, < 0 removes credits (operator) */
    post: operations['createAdjustment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transactions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One journal entry */
    get: operations['getTransaction'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transactions/{id}/reverse': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund a debit (all that is left, or `amount`) into the lots it came from */
    post: operations['reverseTransaction'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/transactions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Journal, newest first; filters and cursor pagination */
    get: operations['listTransactions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Credits used (debits minus their reversals), grouped by operation, actor or day */
    get: operations['getUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/holds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reserve credits until capture, release or timeout */
    post: operations['createHold'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/holds/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One hold */
    get: operations['getHold'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/holds/{id}/capture': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Debit up to the held amount; the rest returns */
    post: operations['captureHold'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/holds/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Give all held credits back (no-op on a released or timed-out hold) */
    post: operations['releaseHold'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/catalog': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Plans, packages and operation costs */
    get: operations['getCatalog'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/estimates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Estimate items or a campaign against the current balance: range, breakdown, alternatives */
    post: operations['createEstimate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/affordability': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many more of one operation the balance covers (`?operation=image&model=flux-2-pro`) */
    get: operations['getAffordability'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/purchases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace’s latest 50 purchases, newest first (or those waiting for approval, oldest first) */
    get: operations['listPurchases'];
    put?: never;
    /** Request a credit package: starts the approval → payment → grant flow */
    post: operations['createPurchase'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/purchases/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One purchase and its status */
    get: operations['getPurchase'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/purchases/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a pending purchase as the member bound to the key (the operator names `by`) */
    post: operations['approvePurchase'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/purchases/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a pending purchase as the member bound to the key (the operator names `by`) */
    post: operations['rejectPurchase'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/budgets/{id}/raises': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the approvers for more of a budget this period (the budget's own spender asks) */
    post: operations['createBudgetRaise'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/budget-raises': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace's raises waiting for a decision, oldest first */
    get: operations['listBudgetRaises'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/budget-raises/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One budget raise and its status */
    get: operations['getBudgetRaise'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/budget-raises/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a pending raise as the member bound to the key (the operator names `by`) */
    post: operations['approveBudgetRaise'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/budget-raises/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a pending raise as the member bound to the key (the operator names `by`) */
    post: operations['rejectBudgetRaise'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/purchases/{id}/refund': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Refund a purchase's unused credits: voided now, their price paid back by the refund flow
     * @description The operator or a `purchases:approve` key. 409 names why a purchase cannot be refunded (`details.reason`: not_paid, already_refunded, not_refundable, nothing_to_refund, credits_held).
     */
    post: operations['refundPurchase'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/lots/{id}/void': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Void what remains of a lot (operator): a `void` entry; the money is kept (breakage) */
    post: operations['voidLot'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reports/revenue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Deferred, sold, recognized, breakage and refunded money over [from, to) (`Accept: text/csv` for CSV) */
    get: operations['getRevenueReport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/auto-top-up': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The auto top-up policy (null when none is set) */
    get: operations['getAutoTopUp'];
    /** Set the auto top-up policy: below X request package P, approved automatically within a monthly budget */
    put: operations['putAutoTopUp'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/budgets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace's budgets with what each has used this period */
    get: operations['listBudgets'];
    put?: never;
    /**
     * Limit what a member, an API key, an actor or an operation may spend per period
     * @description A debit, hold or capture that would take any matching budget past its limit is refused with 402 `budget_exceeded`. A budget counts what is spent from its creation on.
     */
    post: operations['createBudget'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/budgets/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One budget with what it has used this period */
    get: operations['getBudget'];
    put?: never;
    post?: never;
    /** Remove a budget (what it counted stays in the journal) */
    delete: operations['deleteBudget'];
    options?: never;
    head?: never;
    /** Change a budget's period, limit or cap per debit */
    patch: operations['updateBudget'];
    trace?: never;
  };
  '/v1/workspaces/{ws}/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace's webhook endpoint, without its secret (operator) */
    get: operations['getWebhook'];
    /** Set where the workspace’s events go; a new endpoint gets its secret, shown once (operator) */
    put: operations['putWebhook'];
    post?: never;
    /** Stop sending the workspace’s events: removes the endpoint and its secrets (operator) */
    delete: operations['deleteWebhook'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/webhook/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace the signing secret; the previous one keeps signing during a grace period (operator) */
    post: operations['rotateWebhookSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/stripe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Stripe events about purchase payments (signed by Stripe; no API key)
     * @description Verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET. Acts on payment_intent.succeeded, payment_intent.payment_failed, checkout.session.completed, checkout.session.async_payment_succeeded, checkout.session.async_payment_failed, checkout.session.expired; any other event type is acknowledged (200) and ignored.
     */
    post: operations['receiveStripeWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/login-links': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A single-use sign-in link for a member (valid 10 minutes); the caller must hold every scope of that member’s role */
    post: operations['createLoginLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workspaces/{ws}/embed-tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A short-lived token for the embeddable balance widget (shows the balance only) */
    post: operations['createEmbedToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness and database reachability (no authentication) */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics (no authentication) */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Workspace: {
      id: string;
      name: string;
      plan: string;
      /** @enum {string} */
      status: 'trialing' | 'active' | 'past_due' | 'canceled';
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      billingAnchor: string;
      settings: {
        [key: string]: unknown;
      };
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      /** @description The Stripe customer charged for purchases */
      stripeCustomerId?: string;
    };
    Error: {
      error: {
        /** @example insufficient_credits */
        code: string;
        message: string;
        details: {
          [key: string]: unknown;
        };
      };
    };
    /**
     * @example {
     *       "id": "acme",
     *       "name": "Acme Inc.",
     *       "plan": "solo",
     *       "status": "active",
     *       "billingAnchor": "2026-11-01T00:00:00Z"
     *     }
     */
    WorkspaceCreateRequest: {
      /** @example acme */
      id: string;
      name: string;
      /** @example solo */
      plan: string;
      /** @enum {string} */
      status: 'trialing' | 'active' | 'past_due' | 'canceled';
      /**
       * Format: date-time
       * @example 2026-12-01T00:00:00Z
       */
      billingAnchor?: string;
    };
    /**
     * @example {
     *       "plan": "business"
     *     }
     */
    WorkspacePatchRequest: {
      plan?: string;
      /** @enum {string} */
      status?: 'trialing' | 'active' | 'past_due' | 'canceled';
      name?: string;
      /** @description The Stripe customer charged for purchases (operator); null unlinks it */
      stripeCustomerId?: string | null;
    };
    Member: {
      workspaceId: string;
      id: string;
      name: string;
      /** @enum {string} */
      role: 'owner' | 'admin' | 'member' | 'viewer';
      slackUserId: string | null;
      discordUserId: string | null;
      slackTeamId: string | null;
      discordGuildId: string | null;
    };
    /**
     * @example {
     *       "id": "alice",
     *       "name": "Alice",
     *       "role": "admin",
     *       "slackUserId": "U024BE7LH"
     *     }
     */
    MemberCreateRequest: {
      id: string;
      name: string;
      /** @enum {string} */
      role: 'owner' | 'admin' | 'member' | 'viewer';
      slackUserId?: string | null;
      discordUserId?: string | null;
      /** @description The Slack team of slackUserId; needed when the workspace is linked to more than one Slack team */
      slackTeamId?: string | null;
      /** @description The Discord guild of discordUserId; needed when the workspace is linked to more than one */
      discordGuildId?: string | null;
    };
    ChatLink: {
      /** @enum {string} */
      platform: 'slack' | 'discord';
      team: string;
      channel: string | null;
      workspaceId: string;
    };
    /**
     * @example {
     *       "platform": "slack",
     *       "team": "T024BE7LD",
     *       "channel": null
     *     }
     */
    ChatLinkCreateRequest: {
      /** @enum {string} */
      platform: 'slack' | 'discord';
      team: string;
      channel?: string | null;
    };
    AlertThresholds: {
      thresholds: {
        low: number;
        critical: number;
      };
    };
    /**
     * @example {
     *       "thresholds": {
     *         "low": 200,
     *         "critical": 50
     *       }
     *     }
     */
    AlertThresholdsRequest: {
      thresholds: {
        low: number;
        critical: number;
      };
    };
    ApiKey: {
      id: string;
      name: string;
      scopes: components['schemas']['Scope'][];
      memberId: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      expiresAt: string | null;
      /** @description The secret; shown once */
      key: string;
    };
    /** @enum {string} */
    Scope:
      | 'balance:read'
      | 'credits:spend'
      | 'credits:reverse'
      | 'purchases:request'
      | 'purchases:approve'
      | 'settings:write'
      | 'members:manage'
      | 'keys:manage';
    /**
     * @example {
     *       "name": "n8n production",
     *       "scopes": [
     *         "balance:read",
     *         "credits:spend"
     *       ]
     *     }
     */
    ApiKeyCreateRequest: {
      name: string;
      /** @description Default: balance:read and credits:spend (what an automation needs) */
      scopes?: components['schemas']['Scope'][];
      /** @description The member the key acts as; required (an owner or admin) for purchases:approve */
      memberId?: string | null;
      /**
       * Format: date-time
       * @example 2026-12-01T00:00:00Z
       */
      expiresAt?: string | null;
    };
    ApiKeyInfo: {
      id: string;
      name: string;
      scopes: components['schemas']['Scope'][];
      memberId: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      expiresAt: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      lastUsedAt: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      revokedAt: string | null;
    };
    AuditEntry: {
      id: string;
      workspaceId: string;
      /** @example alerts.changed */
      action: string;
      /** @example member:ada */
      actor: string;
      /** @example slack */
      channel: string;
      target: string | null;
      before?: unknown;
      after?: unknown;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      at: string;
    };
    /**
     * @example {
     *       "workspaceId": "acme",
     *       "scopes": [
     *         "balance:read",
     *         "credits:spend"
     *       ],
     *       "memberId": null,
     *       "keyId": "key_4f1c2a9b3d7e"
     *     }
     */
    Whoami: {
      /** @description The workspace the key is confined to; null for the operator key */
      workspaceId: string | null;
      /** @description What the key may do (the operator key: every scope) */
      scopes: components['schemas']['Scope'][];
      /** @description The member the key acts as, if any */
      memberId: string | null;
      /** @description The key’s id; null for the operator key set in OPERATOR_API_KEY */
      keyId: string | null;
    };
    Balance: {
      workspaceId: string;
      /** @description Spendable credits (held credits excluded) */
      total: number;
      byType: {
        subscription: number;
        promotional: number;
        trial: number;
        purchased: number;
      };
      /** @description Credits reserved by active holds */
      held: number;
      nextExpiry: {
        amount: number;
        /**
         * @description ISO-8601 date-time in UTC
         * @example 2026-11-01T00:00:00.000Z
         */
        at: string;
        /** @enum {string} */
        type: 'subscription' | 'promotional' | 'trial' | 'purchased';
      } | null;
      renewal: {
        amount: number;
        /**
         * @description ISO-8601 date-time in UTC
         * @example 2026-11-01T00:00:00.000Z
         */
        at: string;
      } | null;
      lifetimeUsed: number;
      lastTransaction: components['schemas']['Transaction'];
    };
    Transaction: {
      id: string;
      workspaceId: string;
      /** @enum {string} */
      kind: 'grant' | 'debit' | 'expire' | 'reverse' | 'adjust' | 'refund' | 'void';
      /** @description Size of the movement (>= 0); `delta` has the sign */
      amount: number;
      delta: number;
      balanceAfter: number;
      operation: string | null;
      quantity: number | null;
      actor: string | null;
      /** @enum {string} */
      source: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      idempotencyKey: string | null;
      reversesId: string | null;
      holdId: string | null;
      reason: string | null;
      metadata: {
        [key: string]: unknown;
      };
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      lots: {
        lotId: string;
        /** @enum {string} */
        type: 'subscription' | 'promotional' | 'trial' | 'purchased';
        delta: number;
      }[];
      /** @description Debits only: lots consumed, in consumption order */
      consumed?: {
        lotId: string;
        /** @enum {string} */
        type: 'subscription' | 'promotional' | 'trial' | 'purchased';
        amount: number;
      }[];
    } | null;
    Lot: {
      id: string;
      workspaceId: string;
      /** @enum {string} */
      type: 'subscription' | 'promotional' | 'trial' | 'purchased';
      amount: number;
      remaining: number;
      priority: number;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      grantedAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      expiresAt: string | null;
      source: {
        [key: string]: unknown;
      };
    };
    WriteResult: {
      transaction: components['schemas']['Transaction'];
      balance: components['schemas']['Balance'];
    };
    /**
     * @description Either `amount` or `operation` (+ `quantity`, `params`)
     * @example {
     *       "operation": "image",
     *       "quantity": 2,
     *       "params": {
     *         "model": "flux-2-pro"
     *       },
     *       "actor": "alice",
     *       "idempotencyKey": "order-1042",
     *       "metadata": {
     *         "orderId": "A-1042"
     *       }
     *     }
     */
    DebitRequest: {
      /**
       * @description Whole number of credits, 1 to 10^12
       * @example 20
       */
      amount?: number;
      /**
       * @description Operation key from the catalog (or its name or alias)
       * @example image
       */
      operation?: string;
      quantity?: number;
      /**
       * @description Operation parameters, e.g. { "model": "flux-2-pro" }
       * @example {
       *       "model": "flux-2-pro"
       *     }
       */
      params?: {
        [key: string]: string | number;
      };
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
      /**
       * @description Who consumed: member id, automation, workflow. Defaults to the API key.
       * @example alice
       */
      actor?: string | null;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Free-form JSON object stored on the entry
       * @example {
       *       "workflowId": "wf_12"
       *     }
       */
      metadata?: {
        [key: string]: unknown;
      };
    };
    GrantResult: {
      lot: {
        id: string;
        /** @enum {string} */
        type: 'subscription' | 'promotional' | 'trial' | 'purchased';
        amount: number;
        remaining: number;
        /**
         * @description ISO-8601 date-time in UTC
         * @example 2026-11-01T00:00:00.000Z
         */
        expiresAt: string | null;
      };
      transaction: components['schemas']['Transaction'];
      balance: components['schemas']['Balance'];
    };
    /**
     * @example {
     *       "type": "promotional",
     *       "amount": 500,
     *       "expiresAt": "2026-12-31T23:59:59Z",
     *       "reason": "Launch promotion",
     *       "idempotencyKey": "promo-launch-acme"
     *     }
     */
    GrantRequest: {
      /** @enum {string} */
      type: 'subscription' | 'promotional' | 'trial' | 'purchased';
      /**
       * @description Whole number of credits, 1 to 10^12
       * @example 20
       */
      amount: number;
      /**
       * Format: date-time
       * @example 2026-12-01T00:00:00Z
       */
      expiresAt?: string | null;
      priority?: number;
      reason: string;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
      /**
       * @description Who consumed: member id, automation, workflow. Defaults to the API key.
       * @example alice
       */
      actor?: string | null;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Free-form JSON object stored on the entry
       * @example {
       *       "workflowId": "wf_12"
       *     }
       */
      metadata?: {
        [key: string]: unknown;
      };
    };
    /**
     * @example {
     *       "amount": -15,
     *       "reason": "Charged twice for order A-1042",
     *       "idempotencyKey": "fix-A-1042"
     *     }
     */
    AdjustmentRequest: {
      /**
       * @description Signed whole number of credits: > 0 adds a lot, < 0 removes credits
       * @example -15
       */
      amount: number;
      reason: string;
      /** @enum {string} */
      type?: 'subscription' | 'promotional' | 'trial' | 'purchased';
      /**
       * Format: date-time
       * @example 2026-12-01T00:00:00Z
       */
      expiresAt?: string | null;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
      /**
       * @description Who consumed: member id, automation, workflow. Defaults to the API key.
       * @example alice
       */
      actor?: string | null;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Free-form JSON object stored on the entry
       * @example {
       *       "workflowId": "wf_12"
       *     }
       */
      metadata?: {
        [key: string]: unknown;
      };
    };
    /**
     * @example {
     *       "amount": 10,
     *       "reason": "The image generation failed",
     *       "idempotencyKey": "refund-A-1042"
     *     }
     */
    ReverseRequest: {
      /**
       * @description Part of the debit to refund; default all that is left
       * @example 20
       */
      amount?: number;
      reason?: string;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
      /**
       * @description Who consumed: member id, automation, workflow. Defaults to the API key.
       * @example alice
       */
      actor?: string | null;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Free-form JSON object stored on the entry
       * @example {
       *       "workflowId": "wf_12"
       *     }
       */
      metadata?: {
        [key: string]: unknown;
      };
    };
    TransactionPage: {
      items: components['schemas']['Transaction'][];
      /** @description Pass as `cursor` for the next (older) page */
      nextCursor: string | null;
    };
    Usage: {
      /** @enum {string} */
      groupBy: 'operation' | 'actor' | 'day';
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      from: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      to: string | null;
      total: number;
      groups: {
        key: string | null;
        used: number;
        count: number;
      }[];
    };
    HoldResult: components['schemas']['Hold'] & {
      balance: components['schemas']['Balance'];
    };
    Hold: {
      id: string;
      workspaceId: string;
      amount: number;
      /** @enum {string} */
      status: 'active' | 'captured' | 'released' | 'expired';
      captured: number;
      captureTransactionId: string | null;
      operation: string | null;
      actor: string | null;
      /** @enum {string} */
      source: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      metadata: {
        [key: string]: unknown;
      };
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      expiresAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      closedAt: string | null;
    };
    /**
     * @example {
     *       "amount": 200,
     *       "timeoutSeconds": 900,
     *       "operation": "video",
     *       "idempotencyKey": "render-77-hold"
     *     }
     */
    HoldRequest: {
      /**
       * @description Whole number of credits, 1 to 10^12
       * @example 20
       */
      amount: number;
      timeoutSeconds?: number;
      /**
       * @description Operation key from the catalog (or its name or alias)
       * @example image
       */
      operation?: string;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
      /**
       * @description Who consumed: member id, automation, workflow. Defaults to the API key.
       * @example alice
       */
      actor?: string | null;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Free-form JSON object stored on the entry
       * @example {
       *       "workflowId": "wf_12"
       *     }
       */
      metadata?: {
        [key: string]: unknown;
      };
    };
    CaptureResult: {
      hold: components['schemas']['Hold'];
      transaction: components['schemas']['Transaction'];
      balance: components['schemas']['Balance'];
    };
    /**
     * @example {
     *       "amount": 120,
     *       "idempotencyKey": "render-77-capture"
     *     }
     */
    CaptureRequest: {
      /**
       * @description Whole number of credits, 1 to 10^12
       * @example 20
       */
      amount: number;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
      /**
       * @description Who consumed: member id, automation, workflow. Defaults to the API key.
       * @example alice
       */
      actor?: string | null;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Free-form JSON object stored on the entry
       * @example {
       *       "workflowId": "wf_12"
       *     }
       */
      metadata?: {
        [key: string]: unknown;
      };
    };
    ReleaseResult: {
      hold: components['schemas']['Hold'];
      balance: components['schemas']['Balance'];
    };
    Catalog: {
      name: string;
      currency: string;
      plans: {
        key: string;
        name: string;
        /** @enum {string} */
        kind: 'trial' | 'subscription';
        paid: boolean;
        monthlyCredits: number | null;
        oneTimeCredits: number | null;
      }[];
      packages: {
        key: string;
        name: string;
        credits: number;
        price: number;
        currency: string;
        validityDays: number | null;
      }[];
      operations: {
        key: string;
        name: string;
        family: string;
        /** @enum {string} */
        type: 'free' | 'fixed' | 'per_unit' | 'tier' | 'range';
        unit: string;
        description: string;
        min: number;
        expected: number;
        max: number;
        alternatives: string[];
      }[];
      campaign: {
        operation: string;
      } | null;
    };
    Estimate: {
      min: number;
      expected: number;
      max: number;
      breakdown: {
        operation: string;
        name: string;
        quantity: number;
        params: {
          [key: string]: string | number;
        };
        unit: string;
        unitMin: number;
        unitExpected: number;
        unitMax: number;
        min: number;
        expected: number;
        max: number;
        exact: boolean;
        description: string;
      }[];
      /** @description The balance covers the worst case (max) */
      affordable: boolean;
      affordableAtExpected: boolean;
      balance: number;
      shortfall: number;
      alternatives: {
        item: number;
        forOperation: string;
        forName: string;
        instead: string;
        insteadName: string;
        operation: string;
        params: {
          [key: string]: string | number;
        };
        quantity: number;
        unitCost: number;
        currentUnitCost: number;
        cost: number;
        currentCost: number;
        savings: number;
        suggestion: string;
      }[];
      campaign?: {
        operation: string;
        platforms: number;
        weeks: number;
        postsPerWeek: number;
        posts: number;
        complexity?: string;
      };
    };
    /**
     * @example {
     *       "items": [
     *         {
     *           "operation": "video",
     *           "quantity": 3,
     *           "params": {
     *             "model": "veo-3-1"
     *           }
     *         },
     *         {
     *           "operation": "image",
     *           "quantity": 20,
     *           "params": {
     *             "model": "flux-2-dev"
     *           }
     *         }
     *       ]
     *     }
     */
    EstimateRequest: {
      items?: {
        /**
         * @description Operation key from the catalog (or its name or alias)
         * @example image
         */
        operation: string;
        quantity?: number;
        /**
         * @description Operation parameters, e.g. { "model": "flux-2-pro" }
         * @example {
         *       "model": "flux-2-pro"
         *     }
         */
        params?: {
          [key: string]: string | number;
        };
      }[];
      campaign?: {
        platforms: number | string[];
        weeks: number;
        postsPerWeek: number;
        complexity?: string;
      };
    };
    Affordability: {
      operation: string;
      name: string;
      params: {
        [key: string]: string | number;
      };
      unit: string;
      unitMin: number;
      unitExpected: number;
      unitMax: number;
      /** @description How many the balance surely covers; null = free */
      count: number | null;
      countAtExpected: number | null;
      balance: number;
    };
    Purchase: {
      id: string;
      /** @enum {string} */
      status:
        | 'pending_approval'
        | 'approved'
        | 'awaiting_payment'
        | 'paid'
        | 'completed'
        | 'rejected'
        | 'expired'
        | 'failed'
        | 'refunded'
        | 'partially_refunded';
      package: string;
      workspaceId?: string;
      requestedBy?: string | null;
      /** @description The owner or admin who approved or rejected */
      decidedBy?: string | null;
      /** @description Where the decision was taken: api, slack, discord, console, mcp */
      decidedVia?: string | null;
      reason?: string | null;
      credits?: number;
      price?: number;
      currency?: string;
      lotId?: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt?: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      updatedAt?: string;
    };
    /**
     * @example {
     *       "package": "small",
     *       "idempotencyKey": "order-1042-topup"
     *     }
     */
    PurchaseRequest: {
      /** @example small */
      package: string;
      /** @description Operator key only; other keys request as their member (or as the key) */
      requestedBy?: string;
      /** @enum {string} */
      source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
      /**
       * @description Optional: the same key answers the first purchase again (200, `Idempotent-Replayed: true`); another request with it → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
    };
    /** @example {} */
    PurchaseApproval: {
      /** @description Operator key only: the owner or admin who decides. Other keys act as their bound member. */
      by?: string;
    };
    /**
     * @example {
     *       "reason": "Over budget this month"
     *     }
     */
    PurchaseRejection: {
      /** @description Operator key only: the owner or admin who decides. Other keys act as their bound member. */
      by?: string;
      reason?: string;
    };
    BudgetRaise: {
      /** @example raise_3f2a9c0d1e4b5a6c */
      id: string;
      /** @enum {string} */
      status: 'pending_approval' | 'approved' | 'rejected' | 'expired';
      workspaceId: string;
      budgetId: string;
      /** @description Credits added to the limit for this period once approved */
      amount: number;
      reason: string;
      /** @description `member:<id>` or `key:<id>` */
      requestedBy: string | null;
      source: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      periodStart: string;
      /**
       * @description An approved raise counts until the period ends
       * @example 2026-11-01T00:00:00.000Z
       */
      periodEnd: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      approvalDeadline: string | null;
      /** @description The owner or admin who approved or rejected */
      decidedBy: string | null;
      /** @description api, slack, discord, console, web, mcp */
      decidedVia: string | null;
      /** @description Why it was rejected or expired */
      outcome: string | null;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      decidedAt: string | null;
    };
    /**
     * @example {
     *       "amount": 200,
     *       "reason": "launch week"
     *     }
     */
    BudgetRaiseRequest: {
      /** @example 200 */
      amount: number;
      /** @example launch week */
      reason: string;
    };
    BudgetRaiseList: {
      items: components['schemas']['BudgetRaise'][];
    };
    /** @example {} */
    BudgetRaiseApproval: {
      /** @description Operator key only: the owner or admin who decides. Other keys act as their bound member. */
      by?: string;
    };
    /**
     * @example {
     *       "reason": "Not this month"
     *     }
     */
    BudgetRaiseRejection: {
      /** @description Operator key only: the owner or admin who decides. Other keys act as their bound member. */
      by?: string;
      reason?: string;
    };
    RefundResult: {
      purchase: components['schemas']['Purchase'];
      refund: {
        /** @description Unused credits of the purchase, voided */
        credits: number;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        amount: string;
        currency: string;
      };
    };
    /**
     * @example {
     *       "reason": "Bought by mistake",
     *       "idempotencyKey": "refund-pur-1"
     *     }
     */
    RefundRequest: {
      reason?: string;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
    };
    VoidResult: {
      transaction: components['schemas']['Transaction'];
      balance: components['schemas']['Balance'];
      void: {
        lotId: string;
        credits: number;
        /**
         * @description What the voided credits cost (kept: breakage)
         * @example 35.00
         */
        amount: string;
        currency: string | null;
      };
    };
    /**
     * @example {
     *       "reason": "Granted by mistake",
     *       "idempotencyKey": "void-lot-42"
     *     }
     */
    VoidRequest: {
      reason: string;
      /**
       * @description Same key + same body → the first result; same key + other body → 409
       * @example run-4812-step-3
       */
      idempotencyKey?: string;
    };
    /** @description opening deferred + sold = recognized + breakage + refunded + closing deferred, per workspace and in total */
    RevenueReport: {
      currency: string;
      from: string;
      to: string;
      /**
       * @description An exact decimal in the catalog currency
       * @example 35.00
       */
      openingDeferred: string;
      /**
       * @description An exact decimal in the catalog currency
       * @example 35.00
       */
      sold: string;
      /**
       * @description An exact decimal in the catalog currency
       * @example 35.00
       */
      recognized: string;
      /**
       * @description An exact decimal in the catalog currency
       * @example 35.00
       */
      breakage: string;
      /**
       * @description An exact decimal in the catalog currency
       * @example 35.00
       */
      refunded: string;
      /**
       * @description An exact decimal in the catalog currency
       * @example 35.00
       */
      closingDeferred: string;
      workspaces: {
        workspaceId: string;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        openingDeferred: string;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        sold: string;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        recognized: string;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        breakage: string;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        refunded: string;
        /**
         * @description An exact decimal in the catalog currency
         * @example 35.00
         */
        closingDeferred: string;
      }[];
    };
    AutoTopUp: {
      autoTopUp: components['schemas']['AutoTopUpPolicy'];
      /** @example USD */
      currency: string;
    };
    /** @description null: no policy set */
    AutoTopUpPolicy: {
      /** @description Off keeps the policy stored but never buys */
      enabled: boolean;
      /**
       * @description Request the package when the balance falls below this
       * @example 100
       */
      below: number;
      /**
       * @description A package of the catalog: small, medium, large
       * @example small
       */
      package: string;
      /**
       * @description Automatic approvals per calendar month (UTC), in USD; above it the approvers are asked
       * @example 100
       */
      monthlyBudget: number;
    } | null;
    /**
     * @example {
     *       "autoTopUp": {
     *         "enabled": true,
     *         "below": 100,
     *         "package": "small",
     *         "monthlyBudget": 100
     *       }
     *     }
     */
    AutoTopUpRequest: {
      autoTopUp: components['schemas']['AutoTopUpPolicy'];
    };
    Budget: {
      /** @example bud_8c1f0a9e2b7d4c61 */
      id: string;
      subject: components['schemas']['BudgetSubject'];
      /**
       * @description day, week, month (UTC) or the subscription cycle
       * @enum {string}
       */
      period: 'day' | 'week' | 'month' | 'cycle';
      /** @description The limit per period as set (approved raises are in `raised`) */
      limit: number;
      /** @description The most one debit, hold or capture may take; null: no cap */
      perDebitMax: number | null;
      /** @description This period: debits and captures less reversals, plus active holds */
      used: number;
      /** @description limit + raised − used, never below zero */
      remaining: number;
      /** @description Approved raises for this period */
      raised: number;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      periodStart: string;
      /**
       * @description When this period ends and the next starts from zero
       * @example 2026-11-01T00:00:00.000Z
       */
      resetsAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      createdAt: string;
      /**
       * @description ISO-8601 date-time in UTC
       * @example 2026-11-01T00:00:00.000Z
       */
      updatedAt: string;
    };
    /**
     * @description Exactly one of member, apiKey, actor, operation
     * @example {
     *       "member": "sam"
     *     }
     */
    BudgetSubject: {
      /**
       * @description A member id of the workspace
       * @example sam
       */
      member?: string;
      /**
       * @description An API key id of the workspace
       * @example key_3f2a
       */
      apiKey?: string;
      /** @description An actor string such as automation:n8n-blog or agent:support */
      actor?: string;
      /** @description An operation key of the catalog */
      operation?: string;
    };
    /**
     * @example {
     *       "subject": {
     *         "member": "sam"
     *       },
     *       "period": "month",
     *       "limit": 500
     *     }
     */
    BudgetRequest: {
      subject: components['schemas']['BudgetSubject'];
      /**
       * @description day, week, month (UTC) or the subscription cycle
       * @enum {string}
       */
      period: 'day' | 'week' | 'month' | 'cycle';
      /** @description The most the subject may spend per period (at least 1) */
      limit: number;
      /** @description Optional cap on a single debit, hold or capture (at least 1) */
      perDebitMax?: number | null;
    };
    BudgetList: {
      items: components['schemas']['Budget'][];
    };
    /**
     * @example {
     *       "limit": 800
     *     }
     */
    BudgetChange: {
      /**
       * @description day, week, month (UTC) or the subscription cycle
       * @enum {string}
       */
      period?: 'day' | 'week' | 'month' | 'cycle';
      /** @description The new limit per period (at least 1) */
      limit?: number;
      /** @description The new cap per debit; null removes it */
      perDebitMax?: number | null;
    };
    WebhookEndpoint: {
      /** @example acme */
      workspaceId: string;
      /** @example https://n8n.example.org/webhook/3f1c…/credits */
      url: string;
      /**
       * @description The event types sent; null: every type
       * @example [
       *       "alert.low"
       *     ]
       */
      events:
        | (
            | 'alert.low'
            | 'alert.critical'
            | 'alert.depleted'
            | 'alert.recovered'
            | 'budget.threshold'
            | 'purchase.approved'
            | 'purchase.completed'
            | 'purchase.rejected'
            | 'purchase.expired'
            | 'purchase.failed'
            | 'credits.expiring'
          )[]
        | null;
      /** @example 2026-12-01T09:00:00.000Z */
      createdAt: string;
      /** @example 2026-12-01T09:00:00.000Z */
      updatedAt: string;
      /** @description When the secret was last rotated */
      rotatedAt: string | null;
      /** @description Until when the secret replaced by the last rotation still signs (null: it no longer does) */
      previousSecretExpiresAt: string | null;
    };
    WebhookSaved: components['schemas']['WebhookEndpoint'] & {
      /** @description true when this request created the endpoint */
      created: boolean;
      /**
       * @description Only when created: the signing secret, shown once
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret?: string;
    };
    WebhookRequest: {
      /**
       * @description Where events are POSTed (http:// or https://)
       * @example https://example.org/hook
       */
      url: string;
      /** @description Only these event types; omit for every type */
      events?: (
        | 'alert.low'
        | 'alert.critical'
        | 'alert.depleted'
        | 'alert.recovered'
        | 'budget.threshold'
        | 'purchase.approved'
        | 'purchase.completed'
        | 'purchase.rejected'
        | 'purchase.expired'
        | 'purchase.failed'
        | 'credits.expiring'
      )[];
    };
    WebhookRotated: components['schemas']['WebhookEndpoint'] & {
      /**
       * @description The signing secret (Standard Webhooks `whsec_<base64>`). Shown only here: store it in the receiver now
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret: string;
    };
    WebhookRotateRequest: {
      /**
       * @description How long the replaced secret keeps signing next to the new one (default 86400; 0 stops it at once, e.g. after a leak)
       * @example 86400
       */
      graceSeconds?: number;
    };
    StripeWebhookReceived: {
      /** @enum {boolean} */
      received: true;
      handled: boolean;
      purchaseId?: string;
      /** @enum {string} */
      status?: 'succeeded' | 'failed';
      /** @description Why the event changed nothing */
      ignored?: string;
    };
    /** @description A single-use sign-in link to the web console, valid 10 minutes */
    LoginLink: {
      url: string;
      expiresAt: string;
    };
    LoginLinkRequest: {
      memberId: string;
    };
    /** @description A short-lived token for the <credits-balance> widget */
    EmbedToken: {
      token: string;
      expiresAt: string;
    };
    EmbedTokenRequest: {
      ttlSeconds?: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listWorkspaces: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description All workspaces */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Workspace'][];
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WorkspaceCreateRequest'];
      };
    };
    responses: {
      /** @description The new workspace */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Workspace'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workspace */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Workspace'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WorkspacePatchRequest'];
      };
    };
    responses: {
      /** @description The updated workspace */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Workspace'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listMembers: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Members by id */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Member'][];
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createMember: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['MemberCreateRequest'];
      };
    };
    responses: {
      /** @description The member */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Member'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listChatLinks: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Chat links */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ChatLink'][];
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createChatLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChatLinkCreateRequest'];
      };
    };
    responses: {
      /** @description The link */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ChatLink'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAlerts: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Thresholds */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertThresholds'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putAlerts: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AlertThresholdsRequest'];
      };
    };
    responses: {
      /** @description Thresholds now in force */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertThresholds'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Keys, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ApiKeyInfo'][];
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ApiKeyCreateRequest'];
      };
    };
    responses: {
      /** @description The key and its secret */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The revoked key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyInfo'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAudit: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        action?: string;
      };
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['AuditEntry'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getWhoami: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The calling key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Whoami'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getBalance: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The balance */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Balance'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listLots: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Lots */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Lot'][];
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createDebit: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DebitRequest'];
      };
    };
    responses: {
      /** @description The debit and the balance after */
      201: {
        headers: {
          /** @description `true` when this is the stored result of an earlier identical request */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WriteResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Insufficient credits (`details.required`, `details.available`), or `budget_exceeded`: a budget refused it (`details.budgetId`, `limit`, `used`, `requested`, `resetsAt`) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createGrant: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['GrantRequest'];
      };
    };
    responses: {
      /** @description The lot, its journal entry and the balance after */
      201: {
        headers: {
          /** @description `true` when this is the stored result of an earlier identical request */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GrantResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createAdjustment: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AdjustmentRequest'];
      };
    };
    responses: {
      /** @description The adjust entry and the balance after */
      201: {
        headers: {
          /** @description `true` when this is the stored result of an earlier identical request */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WriteResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Insufficient credits (`details.required`, `details.available`), or `budget_exceeded`: a budget refused it (`details.budgetId`, `limit`, `used`, `requested`, `resetsAt`) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getTransaction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The entry */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Transaction'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  reverseTransaction: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReverseRequest'];
      };
    };
    responses: {
      /** @description The reverse entry and the balance after */
      201: {
        headers: {
          /** @description `true` when this is the stored result of an earlier identical request */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WriteResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listTransactions: {
    parameters: {
      query?: {
        kind?: 'grant' | 'debit' | 'expire' | 'reverse' | 'adjust' | 'refund' | 'void';
        operation?: string;
        actor?: string;
        source?: 'slack' | 'discord' | 'n8n' | 'api' | 'cli' | 'workflow';
        from?: string;
        to?: string;
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of entries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TransactionPage'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUsage: {
    parameters: {
      query?: {
        groupBy?: 'operation' | 'actor' | 'day';
        from?: string;
        to?: string;
      };
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Usage */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Usage'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createHold: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['HoldRequest'];
      };
    };
    responses: {
      /** @description The hold (and the balance after) */
      201: {
        headers: {
          /** @description `true` when this is the stored result of an earlier identical request */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HoldResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Insufficient credits (`details.required`, `details.available`), or `budget_exceeded`: a budget refused it (`details.budgetId`, `limit`, `used`, `requested`, `resetsAt`) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getHold: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The hold */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Hold'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  captureHold: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CaptureRequest'];
      };
    };
    responses: {
      /** @description The captured hold, its debit and the balance after */
      201: {
        headers: {
          /** @description `true` when this is the stored result of an earlier identical request */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CaptureResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  releaseHold: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The released hold and the balance */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getCatalog: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The catalog in force */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Catalog'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createEstimate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EstimateRequest'];
      };
    };
    responses: {
      /** @description The estimate */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Estimate'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAffordability: {
    parameters: {
      query: {
        /** @description Operation key from the catalog (or its name or alias) */
        operation: string;
      };
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Counts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Affordability'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listPurchases: {
    parameters: {
      query?: {
        status?: 'pending_approval';
      };
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Purchases */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Purchase'][];
          };
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createPurchase: {
    parameters: {
      query?: never;
      header?: {
        /** @description Alternative to the body field `idempotencyKey` */
        'Idempotency-Key'?: string;
      };
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PurchaseRequest'];
      };
    };
    responses: {
      /** @description The purchase first requested with this idempotency key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Purchase'];
        };
      };
      /** @description The purchase request */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Purchase'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getPurchase: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The purchase */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Purchase'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  approvePurchase: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PurchaseApproval'];
      };
    };
    responses: {
      /** @description The purchase */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Purchase'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  rejectPurchase: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PurchaseRejection'];
      };
    };
    responses: {
      /** @description The purchase */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Purchase'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createBudgetRaise: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BudgetRaiseRequest'];
      };
    };
    responses: {
      /** @description The raise, pending approval */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BudgetRaise'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listBudgetRaises: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The pending raises */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BudgetRaiseList'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getBudgetRaise: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The raise */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BudgetRaise'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  approveBudgetRaise: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BudgetRaiseApproval'];
      };
    };
    responses: {
      /** @description The raise */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BudgetRaise'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  rejectBudgetRaise: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BudgetRaiseRejection'];
      };
    };
    responses: {
      /** @description The raise */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BudgetRaise'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  refundPurchase: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RefundRequest'];
      };
    };
    responses: {
      /** @description The purchase, now refunded or partially_refunded, and the refund */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RefundResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  voidLot: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VoidRequest'];
      };
    };
    responses: {
      /** @description The void entry, what it took and the balance after */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VoidResult'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getRevenueReport: {
    parameters: {
      query: {
        from: string;
        /** @description Exclusive */
        to: string;
        workspace?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report, in total and per workspace */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RevenueReport'];
          'text/csv': string;
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAutoTopUp: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The policy */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AutoTopUp'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putAutoTopUp: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AutoTopUpRequest'];
      };
    };
    responses: {
      /** @description The policy now in force */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AutoTopUp'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listBudgets: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The budgets */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BudgetList'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createBudget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BudgetRequest'];
      };
    };
    responses: {
      /** @description The budget and its current period */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Budget'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getBudget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The budget */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Budget'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteBudget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateBudget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BudgetChange'];
      };
    };
    responses: {
      /** @description The budget as changed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Budget'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Idempotency conflict or state conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookRequest'];
      };
    };
    responses: {
      /** @description The endpoint, with the secret when it was created */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSaved'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['WebhookRotateRequest'];
      };
    };
    responses: {
      /** @description The endpoint and its new secret, shown once */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookRotated'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  receiveStripeWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Received (acted on, or ignored with the reason) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StripeWebhookReceived'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Error */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createLoginLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginLinkRequest'];
      };
    };
    responses: {
      /** @description The link */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LoginLink'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createEmbedToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        ws: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EmbedTokenRequest'];
      };
    };
    responses: {
      /** @description The token */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EmbedToken'];
        };
      };
      /** @description Invalid request: `details.fields` names every failing field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing or unknown API key */
      401: {
        headers: {
          /** @description Always `Bearer realm="credits"` */
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the key lacks the scope this needs (`details.missingScope`), or it needs the operator key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found (also: a resource of another workspace) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body must be application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Rate limited: too many requests for this key; retry after `Retry-After` seconds */
      429: {
        headers: {
          /** @description Seconds until this key may call again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database (or a required service) unavailable */
      503: {
        headers: {
          /** @description When the database is unreachable: seconds to wait before retrying (same idempotency key) */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Healthy */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok' | 'unavailable';
            /** @enum {string} */
            database: 'ok' | 'unreachable';
          };
        };
      };
      /** @description The database is unreachable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok' | 'unavailable';
            /** @enum {string} */
            database: 'ok' | 'unreachable';
          };
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text format */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      /** @description Error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
