/**
 * The requests every home viewer makes every second — its media playlist (blocking reload), the
 * segments, the subtitle playlist and its WebVTT segments — answered before express sees them.
 *
 * Why: under home load (docs/operations.md, "Home viewers at scale") express's router, its
 * per-request `req`/`res` decoration, `parseurl`, the query parser and helmet's ten header calls
 * were ≈ 10 % of the hub's CPU, for four requests whose answers are a string or a buffer the
 * process already holds. This listener answers only the **ordinary, valid** case of those four
 * routes: a GET/HEAD for a session this process serves, with a token that grants it and well-formed
 * parameters. Everything else — no or a bad token, another process's session (cluster forwarding),
 * an unknown rendition, a malformed `_HLS_msn`, a segment not yet in memory, any other route —
 * returns `false` untouched and express answers it exactly as before (coded errors included).
 *
 * The answers are written by the same functions the express routes use (`answerMediaPlaylist`,
 * `answerSubtitlePlaylist`, `answerSubtitleSegment`, SegmentStore.answer), and carry the same
 * security headers: helmet's, captured once at start from the real middleware
 * (`securityHeaderList`) — test/integration/hot-path.test.ts compares both paths header by header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { FrissonError } from '../../contracts/errors.js';
import type { NarrationService } from '../session/narration-service.js';
import type { Session } from '../session/session.js';
import type { SessionManager } from '../session/session-manager.js';
import type { SegmentStore } from './media-router.js';

/** RFC 8216bis §6.2.5.2: block at most three target durations, then answer with what we have. */
const BLOCK_LIMIT_FACTOR = 3;
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl; charset=utf-8';
const VTT_TYPE = 'text/vtt; charset=utf-8';

/** Headers as `[name, value]` pairs, set on a response in order. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * The headers the security middleware (helmet, security-headers.ts) sets on a response for `path`,
 * recorded by running the real middleware once against a recording response.
 */
export function securityHeaderList(middleware: RequestHandler, path: string): HeaderList {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name, String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
    getHeader: (name: string) => headers.get(name),
  };
  let done = false;
  const req = { path, url: path, method: 'GET', headers: {} };
  middleware(req as never, recorder as never, () => {
    done = true;
  });
  if (!done) throw new Error('the security middleware did not complete synchronously');
  return [...headers];
}

function setHeaders(res: ServerResponse, list: HeaderList): void {
  for (const [k, v] of list) res.setHeader(k, v);
}

/**
 * True when If-None-Match names `etag` (RFC 9110 §13.1.2, weak comparison) and the request does not
 * ask for an end-to-end reload (`Cache-Control: no-cache`, RFC 9111 §5.2.1.4) — the rules of
 * express's `fresh` for a response without Last-Modified, written out (three lines) rather than
 * depending on express's transitive dependency.
 */
function notModified(req: IncomingMessage, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  if (inm === undefined) return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(req.headers['cache-control'] ?? '')) return false;
  if (inm.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** A text answer with `Cache-Control: no-cache` (and its ETag: 304 on a match). */
function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  body: string,
  etag?: string,
): void {
  res.setHeader('Cache-Control', 'no-cache');
  if (etag !== undefined) {
    res.setHeader('ETag', etag);
    if (notModified(req, etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendError(res: ServerResponse, status: number, err: FrissonError, retryAfterS: number) {
  res.statusCode = status;
  res.setHeader('Retry-After', String(retryAfterS));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: err.toWire() }));
}

/** Why a media playlist request cannot be answered (a coded error), or null when it can. */
export function mediaPlaylistProblem(
  s: Session,
  msnParam: string | undefined,
  rendition: string | undefined,
): FrissonError | null {
  if (rendition !== undefined && !s.story.renditions.some((r) => r.name === rendition)) {
    return new FrissonError('FRISSON_ERR_NOT_FOUND', 'no such rendition');
  }
  if (msnParam === undefined) return null;
  const msn = Number(msnParam);
  if (!Number.isInteger(msn) || msn < 0) {
    return new FrissonError(
      'FRISSON_ERR_INVALID_PAYLOAD',
      '_HLS_msn must be a non-negative integer',
    );
  }
  // RFC 8216bis §6.2.5.2: more than two segments beyond the last one is a client error.
  const last = s.nextMediaSequence - 1;
  if (msn > last + 2 && !s.ended) {
    return new FrissonError(
      'FRISSON_ERR_INVALID_PAYLOAD',
      `_HLS_msn ${msn} is more than two segments beyond the last one (${last})`,
    );
  }
  return null;
}

/**
 * The session's media playlist, holding a blocking reload (`_HLS_msn`) until that segment is
 * published (at most three target durations, then 503 as §6.2.5.2 says). The request must have
 * passed {@link mediaPlaylistProblem}. A live playlist may be stored but must be revalidated
 * (`no-cache`); its ETag names the published state (304 on a match, no body digest).
 */
export function answerMediaPlaylist(
  req: IncomingMessage,
  res: ServerResponse,
  s: Session,
  q: { msn: string | undefined; rendition: string | undefined },
  segmentUrl: (uri: string) => string,
  onError: (err: unknown) => void,
): void {
  const render = (): void => {
    sendText(
      req,
      res,
      PLAYLIST_TYPE,
      s.renderPlaylist(segmentUrl, q.rendition),
      s.playlistVersion(q.rendition),
    );
  };
  if (q.msn === undefined) return render();
  const msn = Number(q.msn);
  // A segment whose decision cannot be stored is not published (write-ahead, see session.ts):
  // while the store fails, waiting could only end in a timeout.
  if (s.storeFailing && !s.hasSegment(msn) && !s.ended) {
    return sendError(res, 503, new FrissonError('FRISSON_ERR_STORE_UNAVAILABLE'), 2);
  }
  const limitMs = BLOCK_LIMIT_FACTOR * 1000 * Math.max(1, s.story.segmentDuration);
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  s.waitForSegment(msn, limitMs)
    .then((ok) => {
      if (closed) return;
      if (!ok && s.storeFailing) {
        return sendError(res, 503, new FrissonError('FRISSON_ERR_STORE_UNAVAILABLE'), 2);
      }
      if (!ok) {
        // §6.2.5.2: a server that cannot deliver the segment in time answers 503.
        return sendError(
          res,
          503,
          new FrissonError('FRISSON_ERR_NOT_FOUND', `segment ${msn} not published yet`),
          1,
        );
      }
      render();
    })
    .catch(onError);
}

/** The narration subtitle playlist; revalidated on every reload, its ETag names its state. */
export function answerSubtitlePlaylist(
  req: IncomingMessage,
  res: ServerResponse,
  s: Session,
  narration: NarrationService | null,
): void {
  const n = narration?.get(s.id);
  if (!n) throw new FrissonError('FRISSON_ERR_NOT_FOUND', 'narration is off for this session');
  sendText(req, res, PLAYLIST_TYPE, n.playlist(), n.playlistVersion());
}

/** One WebVTT segment of the narration rendition. */
export function answerSubtitleSegment(
  req: IncomingMessage,
  res: ServerResponse,
  s: Session,
  narration: NarrationService | null,
  msnParam: string,
): void {
  const msn = Number(msnParam);
  const vtt = Number.isInteger(msn) && msn >= 0 ? narration?.get(s.id)?.segmentVtt(msn) : undefined;
  if (vtt === undefined)
    throw new FrissonError('FRISSON_ERR_NOT_FOUND', 'no such subtitle segment');
  sendText(req, res, VTT_TYPE, vtt);
}

export interface HotPathOptions {
  sessions: SessionManager;
  narration: NarrationService | null;
  segments: SegmentStore;
  segmentUrl: (uri: string) => string;
  clock: () => number;
  /** Helmet's headers for media paths (securityHeaderList). */
  headers: HeaderList;
  /** A failure after the answer began (logged; the connection is closed). */
  onError: (err: unknown) => void;
}

const SESSION_ROUTE =
  /^\/sessions\/([^/]+)\/(playlist\.m3u8|narration\.m3u8|narration\/(\d+)\.vtt)$/;

/**
 * A `request` listener to call before express: true when it answered (or is holding) the request,
 * false when express must answer it.
 */
export function createHotPath(
  o: HotPathOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const asked = o.segments.match(path);
    if (asked) {
      const seg = o.segments.peek(asked.uri);
      if (!seg) return false; // the first read of a segment goes through express (and fills the cache)
      setHeaders(res, o.headers);
      o.segments.answer(req, res, seg, asked.immutable);
      return true;
    }
    const m = SESSION_ROUTE.exec(path);
    if (!m?.[1]) return false;
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    // A repeated parameter is something express's parser reads differently: leave it to express.
    for (const k of ['token', '_HLS_msn', 'rendition'])
      if (params.getAll(k).length > 1) return false;
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return false;
    }
    const s = o.sessions.get(id);
    if (!s) return false; // unknown here: express answers 404, or the cluster forwards it
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (params.get('token') ?? '');
    if (!token) return false;
    try {
      o.sessions.authorize(id, token);
    } catch {
      return false;
    }
    try {
      if (m[2] === 'playlist.m3u8') {
        const query = {
          msn: params.get('_HLS_msn') ?? undefined,
          rendition: params.get('rendition') ?? undefined,
        };
        if (mediaPlaylistProblem(s, query.msn, query.rendition)) return false;
        s.touch(o.clock());
        setHeaders(res, o.headers);
        answerMediaPlaylist(req, res, s, query, o.segmentUrl, (err) => {
          o.onError(err);
          res.destroy();
        });
        return true;
      }
      setHeaders(res, o.headers);
      if (m[2] === 'narration.m3u8') answerSubtitlePlaylist(req, res, s, o.narration);
      else answerSubtitleSegment(req, res, s, o.narration, m[3] ?? '');
      return true;
    } catch (err) {
      if (res.headersSent) {
        o.onError(err);
        res.destroy();
        return true;
      }
      // Nothing written yet: express answers it (with its coded error).
      for (const [k] of o.headers) res.removeHeader(k);
      return false;
    }
  };
}
