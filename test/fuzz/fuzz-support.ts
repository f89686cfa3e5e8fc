/**
 * Helpers shared by the fuzz suites: raw HTTP requests (paths sent byte for byte, no URL
 * normalisation, so `..` reaches the server as an attacker would send it), the check that a
 * refusal carries a documented error code, and a logger that counts what the server logs as
 * errors (a fuzz case that makes the server log an internal error is a failure).
 */
import assert from 'node:assert/strict';
import type { Agent } from 'node:http';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { ErrorCodes } from '../../contracts/errors.js';

export const DOCUMENTED_CODES = new Set(Object.keys(ErrorCodes));

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function rawRequest(
  agent: Agent,
  base: string,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: opts.method,
        path: opts.path,
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Percent-encodes whatever node:http would refuse to put in a request line. */
export function wirePath(s: string): string {
  return s.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** Asserts a 4xx response carries `{ error: { code } }` with a code from contracts/errors.ts. */
export function assertCodedRefusal(res: RawResponse, method: string, what: string): string {
  if (method === 'HEAD') return '';
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    assert.fail(
      `${what}: ${res.status} body is not JSON: ${res.body.toString('utf8').slice(0, 120)}`,
    );
  }
  const code = (json as { error?: { code?: unknown } })?.error?.code;
  assert.ok(
    typeof code === 'string' && DOCUMENTED_CODES.has(code),
    `${what}: ${res.status} without a documented code: ${res.body.toString('utf8').slice(0, 200)}`,
  );
  return code;
}

/** A pino logger that only counts error/fatal lines (the fuzzed server must log none). */
export function countingLogger(): { log: Logger; errors: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8').slice(0, 500));
      done();
    },
  });
  return { log: pino({ level: 'error' }, sink), errors: () => lines };
}
