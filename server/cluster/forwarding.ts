/**
 * The two ways a hub process hands work to the process that owns a session or a show (cluster
 * mode), shared by session-locator.ts and show-locator.ts:
 *
 * - `forwardHttp`: the request is replayed against the owner's internal URL, marked with
 *   `x-frisson-forwarded-by: <node id>` (a marked request is never forwarded again), and the
 *   owner's answer is streamed back unchanged (status, headers, body);
 * - `requestOwner`: a socket event is sent to every other process with socket.io's
 *   `serverSideEmit` over the Redis adapter; processes that do not own the target answer null, the
 *   owner answers with the acknowledgement its own hub would have sent.
 */
import type { Request, Response } from 'express';
import { request as httpRequest } from 'node:http';
import { FrissonError, type ErrorCode, type WireError } from '../../contracts/errors.js';

/** Marks a request forwarded by another hub process (value: that process's node id). */
export const FORWARDED_HEADER = 'x-frisson-forwarded-by';

/** An acknowledgement as the hubs send it: `{ ok: true, … }` or `{ ok: false, error }`. */
export type AckResult = ({ ok: true } & Record<string, unknown>) | { ok: false; error: WireError };

export function wire(code: ErrorCode, msg?: string): WireError {
  return new FrissonError(code, msg).toWire();
}

/** Something that can `serverSideEmit` with an acknowledgement (a socket.io Server or Namespace). */
export interface ServerSideEmitter {
  serverSideEmit(ev: string, ...args: unknown[]): unknown;
}

/** Whether this request was already forwarded by another process (never forward it twice). */
export function isForwarded(req: Request): boolean {
  return Boolean(req.get(FORWARDED_HEADER));
}

/**
 * Replays `req` against `base` (the owner's URL) and streams the answer back. When the owner does
 * not answer: `503` with `Retry-After: 1` and the coded body `unreachable`.
 */
export function forwardHttp(
  base: string,
  req: Request,
  res: Response,
  nodeId: string,
  unreachable: WireError,
): void {
  const target = new URL(req.originalUrl, base);
  const upstream = httpRequest(
    target,
    {
      method: req.method,
      headers: { ...req.headers, host: target.host, [FORWARDED_HEADER]: nodeId },
    },
    (up) => {
      res.status(up.statusCode ?? 502);
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined) res.setHeader(k, v);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) return void res.destroy();
    res.status(503).set('Retry-After', '1').json({ error: unreachable });
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

/**
 * Sends `message` to every other process and resolves the first non-null answer (the owner's), or
 * null when none answered. The adapter answers with every other node's reply, or with an error and
 * the replies that arrived when its `requestsTimeout` passed.
 */
export async function requestOwner<T>(
  target: ServerSideEmitter,
  event: string,
  message: unknown,
): Promise<T | null> {
  const answers = await new Promise<unknown[]>((resolve) => {
    target.serverSideEmit(event, message, (_err: unknown, responses: unknown) =>
      resolve(Array.isArray(responses) ? responses : []),
    );
  });
  return (answers.find((a) => a !== null && a !== undefined) as T | undefined) ?? null;
}

/**
 * Registers the owner's side of `requestOwner` on a socket.io Server or Namespace; `answer` may
 * resolve asynchronously. A throw or rejection answers FRISSON_ERR_INTERNAL.
 */
export function serveOwnerRequests<M>(
  target: unknown,
  event: string,
  answer: (m: M) => unknown,
): void {
  (target as { on(ev: string, fn: (m: M, cb: (r: unknown) => void) => void): void }).on(
    event,
    (m, cb) => {
      const internal = { ok: false, error: wire('FRISSON_ERR_INTERNAL') };
      void Promise.resolve()
        .then(() => answer(m))
        .then(
          (r) => (typeof cb === 'function' ? cb(r ?? null) : undefined),
          () => (typeof cb === 'function' ? cb(internal) : undefined),
        );
    },
  );
}
