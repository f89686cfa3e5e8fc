/**
 * Credentials on HTTP requests: a join token (`Authorization: Bearer …` or `?token=`) or the
 * operator key (`X-Frisson-Operator-Key: …`).
 */
import type { Request } from 'express';

export function requestToken(req: Request): string {
  const auth = req.get('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const q = req.query.token;
  return typeof q === 'string' ? q : '';
}

export function requestOperatorKey(req: Request): string {
  return req.get('x-frisson-operator-key') ?? '';
}
