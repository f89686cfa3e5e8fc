/**
 * Credentials on HTTP requests: a join token (`Authorization: Bearer …` or `?token=`) or the
 * operator key (`X-Frisson-Operator-Key: …`).
 */
import type { Request } from 'express';
import { FrissonError } from '../../contracts/errors.js';
import type { Session } from '../session/session.js';
import type { SessionManager } from '../session/session-manager.js';

export function requestToken(req: Request): string {
  const auth = req.get('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const q = req.query.token;
  return typeof q === 'string' ? q : '';
}

export function requestOperatorKey(req: Request): string {
  return req.get('x-frisson-operator-key') ?? '';
}

/** The session named by `:id` if the request's token grants it; a coded error otherwise. */
export function requestSession(sessions: SessionManager, req: Request): Session {
  const token = requestToken(req);
  if (!token) throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
  return sessions.authorize(String(req.params.id ?? ''), token);
}
