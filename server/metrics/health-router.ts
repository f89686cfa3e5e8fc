/**
 * `/metrics` (Prometheus text format), `/healthz` (the process is up) and `/readyz` (the story is
 * loaded, the store accepts writes and the server listens — what a load balancer should wait for).
 * A failing check is named with why in `failing`, e.g.
 * `{ "store": "data/frisson.db: SQLITE_FULL (database or disk is full) on recordPublish since …" }`.
 */
import express, { type Request, type Response } from 'express';
import type { FrissonMetrics } from './frisson-metrics.js';

export interface HealthRouterOptions {
  metrics: FrissonMetrics;
  sessions: () => number;
  shows: () => number;
  /** Readiness checks: `true` when ready, else `false` or a string saying why not. */
  ready: () => Promise<Record<string, boolean | string>>;
}

export function createHealthRouter(opts: HealthRouterOptions): express.Router {
  const router = express.Router();
  router.get('/metrics', (_req: Request, res: Response, next) => {
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
