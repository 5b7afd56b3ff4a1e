/**
 * Idempotency keys live in two namespaces. `client` holds every key a request sends (API, chat,
 * n8n, CLI); `system` holds the keys the lifecycle makes for its own grants (a purchase's grant,
 * a cycle's allocation, a rollover, a trial). A client cannot reach `system`: only a `SystemKey`
 * instance lands there, and no request body (JSON) can produce one, whatever string it sends.
 */
export type KeyNamespace = 'client' | 'system';

export type SystemKeyKind = 'purchase' | 'cycle' | 'rollover' | 'trial';

export class SystemKey {
  readonly namespace = 'system' as const;
  constructor(readonly name: string) {}

  toString(): string {
    return this.name;
  }

  toJSON(): string {
    return this.name;
  }
}

/** `systemKey('cycle', ws, 3)` is the key `cycle:<ws>:3` in the system namespace. */
export function systemKey(kind: SystemKeyKind, ...parts: (string | number)[]): SystemKey {
  return new SystemKey([kind, ...parts].join(':'));
}

/** What the ledger's grant accepts: a client's string, or a key of the system's own. */
export type IdempotencyKey = string | SystemKey;

export function splitKey(key: IdempotencyKey): { name: unknown; namespace: KeyNamespace } {
  return key instanceof SystemKey
    ? { name: key.name, namespace: 'system' }
    : { name: key, namespace: 'client' };
}
