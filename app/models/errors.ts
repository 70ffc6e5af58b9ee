/**
 * Domain errors carry a stable code (not a class check: the Remix bundle and server.ts are separate
 * module graphs, so `instanceof` fails across them). Adapters map codes to HTTP statuses or acks and
 * to messages in the user's language.
 */
export const ERROR_CODES = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  /** A catalogue key (namespace "errors") that explains the problem to a person. */
  readonly messageKey: string;
  constructor(code: ErrorCode, messageKey: string, fields?: FieldErrors) {
    super(messageKey);
    this.name = "DomainError";
    this.code = code;
    this.messageKey = messageKey;
    this.fields = fields;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return typeof e === "object" && e !== null && (e as { name?: string }).name === "DomainError" && "code" in e;
}

export function httpStatusOf(e: DomainError): number {
  return ERROR_CODES[e.code];
}
