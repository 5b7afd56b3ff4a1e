import type { OutboxAlert } from '../../ledger/stores/alert-outbox.js';

/** An outbox event as the alert workflow receives it (the ledger's outbox row). */
export type AlertEventInput = OutboxAlert;
