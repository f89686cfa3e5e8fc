/**
 * Helpers shared by the venue namespaces (screens, operators): zod failure → coded wire error,
 * safe acknowledgements, handshake errors with `err.data = { code, message }`, and the show
 * handshake both namespaces run.
 */
import type { z } from 'zod';
import {
  FrissonError,
  issueDetails,
  type ErrorCode,
  type WireError,
} from '../../contracts/errors.js';

export type AckReply = (res: unknown) => void;

const LARGE_PAYLOAD_BYTES = 16 * 1024;

export function safeAck(ack: unknown): AckReply {
  return typeof ack === 'function' ? (ack as AckReply) : () => undefined;
}

export function invalidPayload(payload: unknown, error: z.ZodError): WireError {
  let size: number;
  try {
    size = JSON.stringify(payload)?.length ?? 0;
  } catch {
    size = Infinity;
  }
  const code: ErrorCode =
    size > LARGE_PAYLOAD_BYTES ? 'FRISSON_ERR_PAYLOAD_TOO_LARGE' : 'FRISSON_ERR_INVALID_PAYLOAD';
  return new FrissonError(code, undefined, issueDetails(error.issues)).toWire();
}

export function connectError(err: unknown, fallback: ErrorCode = 'FRISSON_ERR_UNAUTHORIZED') {
  const wire = err instanceof FrissonError ? err.toWire() : new FrissonError(fallback).toWire();
  return Object.assign(new Error(wire.message), { data: wire });
}

/** The connect error of a namespace whose controller is destroyed (the server is closing). */
export function closing(): Error & { data: WireError } {
  return connectError(new FrissonError('FRISSON_ERR_UNAVAILABLE', 'the hub is shutting down'));
}

/** Refuses an event of a socket whose token expired at `expiresAt` (ms; undefined: never). */
export function checkExpiry(expiresAt: number | undefined, now: number): void {
  if (expiresAt !== undefined && now >= expiresAt) {
    throw new FrissonError('FRISSON_ERR_TOKEN_EXPIRED', 'the token expired: connect again');
  }
}

/**
 * Built once: a flood is answered thousands of times a second, and constructing an Error (its
 * stack trace) per refused event cost more than the event it refused (`frisson bench flood`).
 */
const RATE_LIMITED: WireError = Object.freeze(
  new FrissonError('FRISSON_ERR_RATE_LIMITED').toWire(),
);

export function rateLimited(): WireError {
  return RATE_LIMITED;
}

/**
 * The handshake middleware of a show namespace (`/screens`, `/operators`): `auth` must parse with
 * `schema`, pass `authorise` (throws a coded error), and the show must be here or served by a live
 * peer (`locate`, e.g. cluster/show-locator's `locateShow`); then `socket.data.showId` is set.
 * Every refusal reaches the client as a connect error with `data = { code, message }`.
 */
export function showHandshake<A extends { showId: string }>(
  schema: z.ZodType<A>,
  /** Throws a coded error, or returns when the credential expires (ms; none: never). */
  authorise: (auth: A, address: string) => number | void,
  locate: (showId: string) => Promise<unknown>,
) {
  return (
    socket: {
      handshake: { auth: unknown; address: string };
      data: { showId?: string; expiresAt?: number };
    },
    next: (err?: Error) => void,
  ): void => {
    const parsed = schema.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(connectError(null));
    let expiresAt: number | void;
    try {
      expiresAt = authorise(parsed.data, socket.handshake.address);
    } catch (err) {
      return next(connectError(err));
    }
    if (typeof expiresAt === 'number') socket.data.expiresAt = expiresAt;
    const { showId } = parsed.data;
    void locate(showId).then(
      () => {
        socket.data.showId = showId;
        next();
      },
      (err: unknown) => next(connectError(err)),
    );
  };
}
