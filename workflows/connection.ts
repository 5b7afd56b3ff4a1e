import { existsSync, readFileSync } from 'node:fs';

/** How to reach a Temporal cluster (from TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY). */
export interface TemporalTarget {
  address: string;
  namespace: string;
  /** PEM text or a path to a PEM file, for mTLS. */
  tlsCert?: string;
  tlsKey?: string;
  /** Temporal Cloud API key (implies TLS). */
  apiKey?: string;
}

function pem(value: string, name: string): Buffer {
  if (value.includes('-----BEGIN')) return Buffer.from(value);
  if (!existsSync(value)) throw new Error(`${name}: neither PEM text nor an existing file: ${value}`);
  return readFileSync(value);
}

/** Connection options shared by the client (`Connection`) and the worker (`NativeConnection`). */
export function connectionOptions(target: TemporalTarget) {
  if (Boolean(target.tlsCert) !== Boolean(target.tlsKey)) {
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be given together');
  }
  const tls = target.tlsCert
    ? {
        clientCertPair: {
          crt: pem(target.tlsCert, 'TEMPORAL_TLS_CERT'),
          key: pem(target.tlsKey!, 'TEMPORAL_TLS_KEY'),
        },
      }
    : target.apiKey
      ? true
      : undefined;
  return {
    address: target.address,
    ...(tls ? { tls } : {}),
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
  };
}
