/**
 * Watchable simulated viewers (`frisson serve --simulate N`):
 *
 *   GET /api/sim          → SimulatedViewerInfo[]  (every simulated viewer and its current session)
 *   GET /api/sim/:n       → SimulatedViewerInfo    (viewer n, 1-based; 404 when there is none)
 *   GET /watch/sim/:n     → the player page, which follows viewer n from session to session
 *   GET /watch/sim        → all of them side by side, each with its HUD
 *
 * The URLs stay the same while each viewer starts a new session whenever its film ends. The API
 * hands out the simulated sessions' tokens: they are demo sessions with no person behind them, and
 * the routes answer 404 unless the server was started with `--simulate`.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import { join } from 'node:path';
import { FrissonError } from '../../contracts/errors.js';
import type { SimulatedViewerInfo } from '../../contracts/wire.js';

/** Where the simulated viewers are listed; filled by whoever drives them (tools/simulate.ts). */
export class SimulatedViewerRoster {
  private source: () => readonly SimulatedViewerInfo[] = () => [];

  /** Sets the list's source (called once the viewers exist). */
  attach(source: () => readonly SimulatedViewerInfo[]): void {
    this.source = source;
  }

  list(): readonly SimulatedViewerInfo[] {
    return this.source();
  }

  get(index: number): SimulatedViewerInfo | undefined {
    return this.source().find((v) => v.index === index);
  }
}

export function createSimulatedViewerRouter(opts: {
  roster: SimulatedViewerRoster;
  publicDir: string;
}): express.Router {
  const router = express.Router();
  const one = (req: Request, next: NextFunction): SimulatedViewerInfo | undefined => {
    const n = Number(req.params.n);
    const v = Number.isInteger(n) ? opts.roster.get(n) : undefined;
    if (!v) next(new FrissonError('FRISSON_ERR_NOT_FOUND'));
    return v;
  };
  router.get('/api/sim', (_req: Request, res: Response, next: NextFunction) => {
    const list = opts.roster.list();
    if (list.length === 0) next(new FrissonError('FRISSON_ERR_NOT_FOUND'));
    else res.set('cache-control', 'no-store').json(list);
  });
  router.get('/api/sim/:n', (req: Request, res: Response, next: NextFunction) => {
    const v = one(req, next);
    if (v) res.set('cache-control', 'no-store').json(v);
  });
  router.get('/watch/sim/:n', (req: Request, res: Response, next: NextFunction) => {
    if (one(req, next)) res.sendFile(join(opts.publicDir, 'index.html'));
  });
  router.get(['/watch/sim', '/watch/sim/'], (_req: Request, res: Response, next: NextFunction) => {
    if (opts.roster.list().length === 0) next(new FrissonError('FRISSON_ERR_NOT_FOUND'));
    else res.sendFile(join(opts.publicDir, 'sim', 'index.html'));
  });
  return router;
}
