import type { Catalog } from '../../ledger/catalog/schema.js';

/**
 * What the understanding layer reads from a line of chat: an intent, its slots, how sure it is,
 * and the closest other readings. Pure data: no database, no network, no platform.
 */

export const INTENTS = [
  'balance',
  'expiry',
  'renewal',
  'runway',
  'why',
  'estimate',
  'afford',
  'history',
  'usage',
  'top_spender',
  'packages',
  'buy',
  'need_credits',
  'pending',
  'approve',
  'reject',
  'audit',
  'alerts',
  'set_alerts',
  'plan',
  'auto_top_up',
  'set_auto_top_up',
  'sub_vs_purchased',
  'keys',
  'web',
  'set_budget',
  'budget_usage',
  'budgets',
  'raise_budget',
  'greeting',
  'thanks',
  'help',
] as const;

export type Intent = (typeof INTENTS)[number];

/** A thing to price: an operation of the catalog, maybe one of its models, and how many. */
export interface ItemSlot {
  operation: string;
  /** The tier key when a model was named ("veo" → veo-3-1). */
  model?: string;
  quantity: number;
  /** False when the question named no quantity and 1 was assumed (the answer must say so). */
  quantityStated: boolean;
  complexity?: 'simple' | 'standard' | 'complex';
  /** How it was written, and whether a typo was forgiven (the answer says how it read it). */
  phrase: string;
  label: string;
  fuzzy: boolean;
}

/** A half-open UTC window [from, to). */
export interface WindowSlot {
  from: string;
  to: string;
  /** How it was said: "this week", "yesterday", "in November". */
  label: string;
}

/** `me` is the asker, resolved by the core. */
export type MemberSlot = { id: string; name: string } | { id: '@me'; name: 'you' };

export interface CampaignSlot {
  platforms: number;
  weeks: number;
  postsPerWeek: number;
  complexity?: string;
  /** What was assumed because the question did not say it ("4 weeks"). */
  assumptions: string[];
}

export interface Slots {
  items?: ItemSlot[];
  campaign?: CampaignSlot;
  /** An operation to filter by (usage, history): key and maybe model. */
  operation?: { key: string; model?: string; label: string };
  member?: MemberSlot;
  package?: string;
  /** The words read as the package when they were a typo ("meduim"): the answer says so. */
  packageReadAs?: string;
  plan?: string;
  thresholds?: { low?: number; critical?: number };
  window?: WindowSlot;
  /** A number of credits: a claimed balance ("why is it 840"), a budget, a top-up threshold. */
  amount?: number;
  purchaseId?: string;
  /** How many entries (history). */
  limit?: number;
  groupBy?: 'member' | 'operation' | 'source';
  toggle?: 'on' | 'off';
  /** A budget's period. */
  period?: 'day' | 'week' | 'month';
  audit?: 'alerts' | 'auto_top_up' | 'keys' | 'members' | 'purchases';
}

export interface Alternative {
  intent: Intent;
  slots: Slots;
  confidence: number;
  /** A short question a button or numbered choice shows: "Sam's usage this week". */
  label: string;
}

export interface Reading {
  intent: Intent;
  slots: Slots;
  /** 0..1: how sure the reading is; below CONFIDENT the core asks back instead of answering. */
  confidence: number;
  /** The closest other readings (2–3 when a clarification is needed). */
  alternatives: Alternative[];
  /** Numbers and names of the question that no slot used; the answer says it ignored them. */
  ignored: string[];
  /** Phrases that named nothing known, or could be several things (estimates say so). */
  unknown: string[];
  ambiguous: { phrase: string; candidates: string[] }[];
  /** True when the core should ask back with the alternatives rather than answer. */
  clarify: boolean;
  label: string;
}

/** The workspace's words: what the catalog sells (operations, models, packages, plans) and who the members are. */
export interface Vocabulary {
  catalog: Catalog;
  members: readonly VocabularyMember[];
}

export interface VocabularyMember {
  id: string;
  name: string;
  slackUserId?: string | null;
  discordUserId?: string | null;
}
