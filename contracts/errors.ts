/**
 * One catalogue of coded errors (after fastify's FST_ERR_*). Codes travel to clients in socket
 * acknowledgements (`{ ok: false, error: { code, message } }`) and HTTP bodies (`{ error: { code,
 * message } }`). docs/api.md lists every code; adding one here means documenting it there.
 *
 * A contract: every stage and the browser pages may import it; it imports nothing.
 */
export const ErrorCodes = {
  FRISSON_ERR_INVALID_PAYLOAD: { status: 400, message: 'Payload failed validation' },
  FRISSON_ERR_OUT_OF_RANGE: { status: 422, message: 'Physiological value out of range' },
  FRISSON_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'Payload too large' },
  FRISSON_ERR_UNAUTHORIZED: { status: 401, message: 'Missing or invalid token' },
  FRISSON_ERR_FORBIDDEN: { status: 403, message: 'Token does not grant access to this resource' },
  FRISSON_ERR_TOKEN_EXPIRED: { status: 401, message: 'Token expired' },
  FRISSON_ERR_SESSION_NOT_FOUND: { status: 404, message: 'Session not found' },
  FRISSON_ERR_SESSION_ENDED: { status: 409, message: 'Session has ended' },
  FRISSON_ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  FRISSON_ERR_RATE_LIMITED: { status: 429, message: 'Too many events' },
  FRISSON_ERR_STORY_INVALID: { status: 500, message: 'Story package is invalid' },
  FRISSON_ERR_SHOW_NOT_FOUND: { status: 404, message: 'Show not found' },
  FRISSON_ERR_SHOW_ENDED: { status: 409, message: 'Show has ended' },
  FRISSON_ERR_VOTE_CLOSED: { status: 409, message: 'No vote window is open' },
  FRISSON_ERR_SCENE_NOT_FOUND: { status: 404, message: 'Scene not found in this story' },
  FRISSON_ERR_INTERNAL: { status: 500, message: 'Internal error' },
  FRISSON_ERR_STARTING: {
    status: 503,
    message: 'Server is starting (opening the store, resuming sessions); retry shortly',
  },
  FRISSON_ERR_STORE_UNAVAILABLE: {
    status: 503,
    message:
      'The store is failing (e.g. disk full): nothing new is published or stored until it recovers; retry shortly',
  },
  FRISSON_ERR_AT_CAPACITY: {
    status: 503,
    message: 'This server is at its session capacity; retry later',
  },
  FRISSON_ERR_UNAVAILABLE: {
    status: 503,
    message: 'Server is at its connection limit or shutting down; retry shortly',
  },
  FRISSON_ERR_SHOW_ELSEWHERE: {
    status: 421,
    message: 'Show is served by another hub process; connect the sensor agent to that hub',
  },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** Wire shape of an error (socket acks and HTTP bodies). */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** Optional validation details (zod issue paths and messages). */
  details?: Array<{ path: string; message: string }>;
}

export class FrissonError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: WireError['details'];

  constructor(code: ErrorCode, message?: string, details?: WireError['details']) {
    super(message ?? ErrorCodes[code].message);
    this.name = 'FrissonError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.details = details;
  }

  toWire(): WireError {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** At most this many validation details travel in one error. */
export const MAX_ERROR_DETAILS = 10;

/** The fields of a zod issue the details need (structural, so this module needs no zod import). */
export interface ValidationIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
}

/** A path segment shown as is: an index, or a key shaped like a schema field name. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]{0,39}$/;

/**
 * An issue as it may travel back: the input is never echoed. zod names an unrecognised key in its
 * message and puts a record's keys in the path; both come from the sender (a `<script>` key would
 * come back verbatim), so the message becomes generic and such path segments become `*`.
 */
function safeIssue(i: ValidationIssue): { path: string; message: string } {
  const path = i.path
    .map((p) => (typeof p === 'number' || (typeof p === 'string' && PLAIN_KEY.test(p)) ? p : '*'))
    .join('.');
  const message = i.code === 'unrecognized_keys' ? 'Unrecognized key(s)' : i.message;
  return { path, message };
}

/**
 * zod issues → `WireError.details` (`path` joined with dots), the first `MAX_ERROR_DETAILS`.
 * @example
 *   const r = Schema.safeParse(body);
 *   if (!r.success) throw new FrissonError('FRISSON_ERR_INVALID_PAYLOAD', undefined, issueDetails(r.error.issues));
 */
export function issueDetails(
  issues: readonly ValidationIssue[],
): NonNullable<WireError['details']> {
  return issues.slice(0, MAX_ERROR_DETAILS).map(safeIssue);
}

/** FRISSON_ERR_INVALID_PAYLOAD carrying the details of a failed zod parse. */
export function invalidPayloadError(issues: readonly ValidationIssue[]): FrissonError {
  return new FrissonError('FRISSON_ERR_INVALID_PAYLOAD', undefined, issueDetails(issues));
}

export function toWireError(err: unknown): WireError {
  if (err instanceof FrissonError) return err.toWire();
  return { code: 'FRISSON_ERR_INTERNAL', message: ErrorCodes.FRISSON_ERR_INTERNAL.message };
}
