/**
 * REST API and playlist routes. Bodies are validated with zod; every error body is
 * `{ error: { code, message, details? } }` with a code from contracts/errors.ts.
 */
import { AttemptsThrottled } from '../auth/operator-key.js';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { rateLimit } from 'express-rate-limit';
import { FrissonError, invalidPayloadError, toWireError } from '../../contracts/errors.js';
import { CreateSessionSchema, type CreateSessionResponse } from '../../contracts/wire.js';
import { answerMediaPlaylist, mediaPlaylistProblem } from './hot-path.js';
import { requestSession } from './request-auth.js';
import type { SessionManager } from '../session/session-manager.js';

export interface ApiRouterOptions {
  sessions: SessionManager;
  storyId: string;
  /** Absolute URL prefix for links we hand out (players, playlists). */
  publicUrl: () => string;
  /** Session creation limits (issue 22): per client address per minute, live sessions in all. */
  limits?: { createPerMinute: number; maxSessions: number };
  clock?: () => number;
  /** The URL a media playlist writes for a segment (default `/stories/<storyId>/<uri>`). */
  segmentUrl?: (uri: string) => string;
}

/**
 * `POST /api/sessions` per client address (express-rate-limit, a fixed one-minute window in this
 * process's memory; IPv6 clients are grouped by /56 as the library does). The client address is
 * the socket's, or X-Forwarded-For's through FRISSON_TRUST_PROXY hops. Over it: 429 with
 * Retry-After and one coded line.
 */
function sessionCreateLimiter(perMinute: number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A request through an untrusted proxy is limited by the proxy's address: documented, not
    // printed as a stack trace per request.
    validate: { xForwardedForHeader: false },
    handler: (_req, _res, next) =>
      next(
        new FrissonError(
          'FRISSON_ERR_RATE_LIMITED',
          `too many sessions created from this address (at most ${perMinute} a minute); retry later`,
        ),
      ),
  });
}

export function createApiRouter(opts: ApiRouterOptions): express.Router {
  const router = express.Router();
  const clock = opts.clock ?? Date.now;
  const segmentUrl =
    opts.segmentUrl ?? ((uri: string) => `/stories/${encodeURIComponent(opts.storyId)}/${uri}`);

  const maxSessions = opts.limits?.maxSessions ?? 0;
  router.post(
    '/api/sessions',
    sessionCreateLimiter(opts.limits?.createPerMinute ?? 0),
    (_req: Request, _res: Response, next: NextFunction) => {
      // Live sessions cost memory and a director each: beyond the cap, refuse rather than degrade.
      next(
        maxSessions > 0 && opts.sessions.size >= maxSessions
          ? new FrissonError('FRISSON_ERR_AT_CAPACITY')
          : undefined,
      );
    },
    express.json({ limit: '16kb' }),
    (req: Request, res: Response, next: NextFunction) => {
      const parsed = CreateSessionSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        next(invalidPayloadError(parsed.error.issues));
        return;
      }
      opts.sessions
        .create(parsed.data)
        .then((s) => {
          const base = opts.publicUrl();
          const body: CreateSessionResponse = {
            id: s.id,
            token: s.record.token,
            playlistUrl: `${base}/sessions/${s.id}/playlist.m3u8?token=${encodeURIComponent(s.record.token)}`,
            masterUrl: `${base}/sessions/${s.id}/master.m3u8?token=${encodeURIComponent(s.record.token)}`,
            playerUrl: `${base}/?session=${s.id}&token=${encodeURIComponent(s.record.token)}`,
          };
          res.status(201).json(body);
        })
        .catch(next);
    },
  );

  router.get('/api/sessions/:id', (req, res) => {
    const s = requestSession(opts.sessions, req);
    res.json({
      id: s.id,
      storyId: s.record.storyId,
      maxIntensity: s.record.maxIntensity,
      consent: s.record.consent,
      ended: s.ended,
      stalls: s.stallCount,
      segments: s.segments(),
    });
  });

  router.get('/sessions/:id/playlist.m3u8', (req, res, next) => {
    const s = requestSession(opts.sessions, req);
    s.touch(clock());
    // The same answer as the hot path's (hot-path.ts): requests it declined arrive here.
    const query = {
      msn: typeof req.query._HLS_msn === 'string' ? req.query._HLS_msn : undefined,
      rendition: typeof req.query.rendition === 'string' ? req.query.rendition : undefined,
    };
    const problem = mediaPlaylistProblem(s, query.msn, query.rendition);
    if (problem) return next(problem);
    answerMediaPlaylist(req, res, s, query, segmentUrl, next);
  });

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true, sessions: opts.sessions.size });
  });

  return router;
}

/** Express error handler: coded errors out, internals never leaked. */
export function errorHandler(log: { error(obj: object, msg: string): void }) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    let wire = toWireError(err);
    let status = err instanceof FrissonError ? err.status : 500;
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') {
      wire = new FrissonError('FRISSON_ERR_PAYLOAD_TOO_LARGE').toWire();
      status = 413;
    } else if (e?.type === 'entity.parse.failed') {
      wire = new FrissonError('FRISSON_ERR_INVALID_PAYLOAD', 'body is not valid JSON').toWire();
      status = 400;
    } else if (
      !(err instanceof FrissonError) &&
      typeof e?.status === 'number' &&
      e.status >= 400 &&
      e.status < 500
    ) {
      // Client errors raised by express/serve-static/body-parser (missing media file, `..` or
      // dotfile paths, undecodable %-escapes, unsupported encodings) keep their status and get a
      // documented code instead of FRISSON_ERR_INTERNAL (found by test/fuzz).
      status = e.status;
      const code =
        status === 404
          ? 'FRISSON_ERR_NOT_FOUND'
          : status === 403
            ? 'FRISSON_ERR_FORBIDDEN'
            : status === 413
              ? 'FRISSON_ERR_PAYLOAD_TOO_LARGE'
              : 'FRISSON_ERR_INVALID_PAYLOAD';
      wire = new FrissonError(code).toWire();
    } else if (status === 500) {
      log.error({ err }, 'request failed');
    }
    if (wire.code === 'FRISSON_ERR_STORE_UNAVAILABLE') res.set('Retry-After', '2');
    if (wire.code === 'FRISSON_ERR_AT_CAPACITY') res.set('Retry-After', '30');
    if (err instanceof AttemptsThrottled) res.set('Retry-After', String(err.retryAfterS));
    res.status(status).json({ error: wire });
  };
}
