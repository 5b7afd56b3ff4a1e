import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TxSql = postgres.TransactionSql;

/** int8 columns come back as JS numbers: credits are capped far below 2^53 (see MAX_AMOUNT). */
const int8AsNumber = {
  to: 20,
  from: [20],
  serialize: (value: number | bigint | string) => String(value),
  parse: (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
    return n;
  },
};

export interface ConnectOptions {
  max?: number;
  /** Fail fast when PostgreSQL is unreachable instead of queueing for the default 30 s. */
  connectTimeoutSeconds?: number;
}

export function connect(url: string, options: ConnectOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 20,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 30,
    onnotice: () => {},
    types: { int8: int8AsNumber },
    connection: { application_name: 'credits' },
  });
}

/** True when the error means the database could not be reached (as opposed to a query error). */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'EPIPE' ||
    code === 'CONNECT_TIMEOUT' ||
    code === 'CONNECTION_CLOSED' ||
    code === 'CONNECTION_ENDED' ||
    code === 'CONNECTION_DESTROYED' ||
    code === '57P01' || // admin_shutdown
    code === '57P03' // cannot_connect_now (starting up)
  );
}

/**
 * A statement PostgreSQL refused for its data (an SQLSTATE outside the connection, resource and
 * shutdown classes): some item of the batch is at fault, so the items are retried one by one.
 */
export function refusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown; name?: unknown })?.code;
  if ((error as { name?: unknown })?.name !== 'PostgresError' || typeof code !== 'string') return false;
  return !/^(08|53|57|58)/.test(code);
}
