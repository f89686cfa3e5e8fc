/**
 * `/metrics` (Prometheus text format), `/healthz` (the process is up) and `/readyz` (the story is
 * loaded, the store accepts writes and the server listens — what a load balancer should wait for).
 * A failing check is named with why in `failing`, e.g.
 * `{ "store": "data/frisson.db: SQLITE_FULL (database or disk is full) on recordPublish since …" }`.
 */
import express, { type Request, type Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { FrissonError } from '../../contracts/errors.js';
import type { OperatorKey } from '../auth/operator-key.js';
import type { FrissonMetrics } from './frisson-metrics.js';

export interface HealthRouterOptions {
  metrics: FrissonMetrics;
  sessions: () => number;
  shows: () => number;
  /** Readiness checks: `true` when ready, else `false` or a string saying why not. */
  ready: () => Promise<Record<string, boolean | string>>;
  /**
   * Who may read `/metrics`: `Authorization: Bearer <metricsToken>` (FRISSON_METRICS_TOKEN, what a
   * Prometheus scrape job sends) or the operator key (`X-Frisson-Operator-Key`). Neither
   * configured: `/metrics` answers 401 (the counters describe live shows and their audiences).
   */
  metricsToken?: string | undefined;
  operatorKey?: OperatorKey;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

function metricsAuthorizer(opts: HealthRouterOptions): (req: Request) => void {
  const token = opts.metricsToken ? sha256(opts.metricsToken) : null;
  return (req) => {
    const auth = req.get('authorization');
    if (token && auth?.startsWith('Bearer ') && timingSafeEqual(sha256(auth.slice(7)), token)) {
      return;
    }
    const key = req.get('x-frisson-operator-key');
    if (key && opts.operatorKey) return opts.operatorKey.check(key);
    throw new FrissonError(
      'FRISSON_ERR_UNAUTHORIZED',
      'metrics need the metrics token (FRISSON_METRICS_TOKEN) or the operator key',
    );
  };
}

export function createHealthRouter(opts: HealthRouterOptions): express.Router {
  const router = express.Router();
  const authorize = metricsAuthorizer(opts);
  router.get('/metrics', (req: Request, res: Response, next) => {
    try {
      authorize(req);
    } catch (err) {
      return next(err);
    }
    opts.metrics
      .render()
      .then(({ contentType, body }) => res.type(contentType).send(body))
      .catch(next);
  });
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true, sessions: opts.sessions(), shows: opts.shows() });
  });
  router.get('/readyz', (_req, res, next) => {
    opts
      .ready()
      .then((results) => {
        const checks: Record<string, boolean> = {};
        const failing: Record<string, string> = {};
        for (const [name, r] of Object.entries(results)) {
          checks[name] = r === true;
          if (r !== true) failing[name] = typeof r === 'string' ? r : 'not ready';
        }
        const ok = Object.keys(failing).length === 0;
        res.status(ok ? 200 : 503).json(ok ? { ok, checks } : { ok, checks, failing });
      })
      .catch(next);
  });
  return router;
}
