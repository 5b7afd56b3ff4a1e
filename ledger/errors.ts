/**
 * Every failure the domain reports carries a stable machine code, a sentence for humans and
 * structured details. Adapters (HTTP, chat, CLI) map the code to their own vocabulary.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'insufficient_credits'
  | 'budget_exceeded'
  | 'idempotency_conflict'
  | 'conflict'
  | 'hold_not_active'
  | 'rate_limited'
  | 'unavailable';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `params.model` or `items.2.quantity`. */
  field: string;
  message: string;
}

export class CreditsError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CreditsError';
    this.code = code;
    this.details = details;
  }

  static invalid(issues: FieldIssue[]): CreditsError {
    const message = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
    return new CreditsError('invalid_request', message, { fields: issues });
  }

  static field(field: string, message: string): CreditsError {
    return CreditsError.invalid([{ field, message }]);
  }

  static notFound(what: string, id: string): CreditsError {
    return new CreditsError('not_found', `${what} ${JSON.stringify(id)} not found`, { [what]: id });
  }
}

export function isCreditsError(err: unknown): err is CreditsError {
  return err instanceof CreditsError;
}
