/**
 * Per-viewer export and erase (see privacy-service.ts). A home viewer uses their session token;
 * a seat uses its seat token (or the operator key acts for it).
 *
 *   GET    /api/privacy/sessions/:id          → export JSON
 *   DELETE /api/privacy/sessions/:id/samples  → { ok, erased, where } (see EraseReport)
 *   GET    /api/privacy/shows/:id/seats/:seat
 *   DELETE /api/privacy/shows/:id/seats/:seat/samples
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { OperatorKey } from '../auth/operator-key.js';
import type { TokenAccess } from '../auth/token-access.js';
import { FrissonError } from '../../contracts/errors.js';
import type { Store } from '../store/store.js';
import { tokenMatches } from '../store/token-hash.js';
import type { PrivacyService } from './privacy-service.js';
import { requestOperatorKey, requestToken } from './request-auth.js';

export interface PrivacyRouterOptions {
  privacy: PrivacyService;
  access: TokenAccess;
  operatorKey: OperatorKey;
  store: Store;
}

export function createPrivacyRouter(opts: PrivacyRouterOptions): express.Router {
  const router = express.Router();
  const wrap =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction): void => {
      fn(req, res).catch(next);
    };

  /** A signed session token (or the show token of a screen); legacy opaque tokens by record. */
  const authorizeSession = async (req: Request, id: string): Promise<void> => {
    const token = requestToken(req);
    if (!token) throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    if (token.includes('.')) {
      // Only the viewer's own session token: a show token (the screen) speaks for no person.
      const p = opts.access.verify(token);
      if (p.scope !== 'session' || p.id !== id) throw new FrissonError('FRISSON_ERR_FORBIDDEN');
      return;
    }
    const rec = await opts.store.getSession(id);
    if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
    // The store keeps the token's SHA-256; compared as digests in constant time.
    if (!tokenMatches(rec.token, token)) throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
  };
  const authorizeSeat = (req: Request, showId: string, seat: string): void => {
    const key = requestOperatorKey(req);
    if (key) return opts.operatorKey.check(key, req.ip);
    const p = opts.access.forSeat(requestToken(req), showId, seat);
    // The show token speaks for the agent, not for a person: exporting a seat needs its own token.
    if (p.scope !== 'seat') throw new FrissonError('FRISSON_ERR_FORBIDDEN');
  };

  router.get(
    '/api/privacy/sessions/:id',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      await authorizeSession(req, id);
      res.json(await opts.privacy.exportSession(id));
    }),
  );
  router.delete(
    '/api/privacy/sessions/:id/samples',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      await authorizeSession(req, id);
      res.json({ ok: true, ...(await opts.privacy.eraseSession(id)) });
    }),
  );
  router.get(
    '/api/privacy/shows/:id/seats/:seat',
    wrap(async (req, res) => {
      const [id, seat] = [String(req.params.id), String(req.params.seat)];
      authorizeSeat(req, id, seat);
      res.json(await opts.privacy.exportSeat(id, seat));
    }),
  );
  router.delete(
    '/api/privacy/shows/:id/seats/:seat/samples',
    wrap(async (req, res) => {
      const [id, seat] = [String(req.params.id), String(req.params.seat)];
      authorizeSeat(req, id, seat);
      res.json({ ok: true, ...(await opts.privacy.eraseSeat(id, seat)) });
    }),
  );
  return router;
}
