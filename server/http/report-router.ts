/**
 * Post-show reports as JSON for client/report:
 *   GET /api/reports/sessions/:id?token=…&lang=…  (the viewer's session token)
 *   GET /api/reports/shows/:id?token=…&lang=…     (the show token, or the operator key header)
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { PackagedStory } from '../../contracts/story.js';
import type { OperatorKey } from '../auth/operator-key.js';
import type { TokenAccess } from '../auth/token-access.js';
import { FrissonError } from '../../contracts/errors.js';
import type { Store, StoredSample } from '../store/store.js';
import { buildReport } from './report-builder.js';
import { requestOperatorKey, requestToken } from './request-auth.js';
import { loadStoryCatalogue } from './story-catalogue.js';

export interface ReportRouterOptions {
  store: Store;
  story: PackagedStory;
  storyDir: string;
  access: TokenAccess;
  operatorKey: OperatorKey;
  /**
   * Every stored sample of a session (a show: its screen session, `showId` set), queues flushed;
   * in cluster mode gathered from every process (PrivacyService.allSamples). Default: the store's.
   */
  samples?: (sessionId: string, showId?: string) => Promise<StoredSample[]>;
}

export function createReportRouter(opts: ReportRouterOptions): express.Router {
  const router = express.Router();
  const samplesOf = opts.samples ?? ((id: string) => opts.store.listSamples(id));
  let library: Promise<PackagedStory[]> | null = null;
  const catalogue = (): Promise<PackagedStory[]> =>
    (library ??= loadStoryCatalogue(opts.story, opts.storyDir));
  const lang = (req: Request): string | null =>
    typeof req.query.lang === 'string' ? req.query.lang : null;
  const wrap =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction): void => {
      fn(req, res).catch(next);
    };

  router.get(
    '/api/reports/sessions/:id',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      const p = opts.access.verify(requestToken(req));
      if (p.scope !== 'session' || p.id !== id) throw new FrissonError('FRISSON_ERR_FORBIDDEN');
      const rec = await opts.store.getSession(id);
      if (!rec) throw new FrissonError('FRISSON_ERR_SESSION_NOT_FOUND');
      res.json(
        buildReport({
          kind: 'session',
          id,
          title: opts.story.title,
          story: opts.story,
          library: await catalogue(),
          decisions: await opts.store.listDecisions(id),
          samples: await samplesOf(id),
          votes: [],
          endedAt: rec.endedAt,
          lang: lang(req),
        }),
      );
    }),
  );

  router.get(
    '/api/reports/shows/:id',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      const key = requestOperatorKey(req);
      if (key) opts.operatorKey.check(key, req.ip);
      else opts.access.forShow(requestToken(req), id);
      const show = await opts.store.getShow(id);
      if (!show) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
      res.json(
        buildReport({
          kind: 'show',
          id,
          title: show.title,
          story: opts.story,
          library: await catalogue(),
          decisions: await opts.store.listDecisions(show.screenSessionId),
          samples: await samplesOf(show.screenSessionId, id),
          votes: await opts.store.listVoteResults(id),
          endedAt: show.endedAt,
          lang: lang(req),
        }),
      );
    }),
  );
  return router;
}
