/**
 * `/metrics` (Prometheus text format), `/healthz` (the process is up) and `/readyz` (the story is
 * loaded, the store answers and the publish tick is running — what a load balancer should wait for).
 */
import express, { type Request, type Response } from 'express';
import type { FrissonMetrics } from './frisson-metrics.js';

export interface HealthRouterOptions {
  metrics: FrissonMetrics;
  sessions: () => number;
  shows: () => number;
  /** Readiness checks; each returns true when ready. */
  ready: () => Promise<Record<string, boolean>>;
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
      .then((checks) => {
        const ok = Object.values(checks).every(Boolean);
        res.status(ok ? 200 : 503).json({ ok, checks });
      })
      .catch(next);
  });
  return router;
}
