/**
 * Helpers shared by the venue namespaces (screens, operators): zod failure → coded wire error,
 * safe acknowledgements, handshake errors with `err.data = { code, message }`.
 */
import type { z } from 'zod';
import { FrissonError, type ErrorCode, type WireError } from '../errors.js';

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
  const details = error.issues
    .slice(0, 10)
    .map((i) => ({ path: i.path.join('.'), message: i.message }));
  return new FrissonError(code, undefined, details).toWire();
}

export function connectError(err: unknown, fallback: ErrorCode = 'FRISSON_ERR_UNAUTHORIZED') {
  const wire = err instanceof FrissonError ? err.toWire() : new FrissonError(fallback).toWire();
  return Object.assign(new Error(wire.message), { data: wire });
}

export function rateLimited(): WireError {
  return new FrissonError('FRISSON_ERR_RATE_LIMITED').toWire();
}
