import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SubscriptionState, WorkspaceChange } from './types.js';

/** The workspace's plan or status changed (the directory already holds the new values). */
export const workspaceChanged = defineSignal<[WorkspaceChange]>('workspaceChanged');
export const subscriptionState = defineQuery<SubscriptionState>('subscriptionState');
