/**
 * The bare baseline for `frisson load --mode home`: the cheapest Node server that answers exactly
 * what a home viewer (home-player.ts) asks of the hub, with **no Frisson logic** — no director, no
 * estimator, no store, no narrator, no express. Whatever the hub costs above this for the same
 * traffic is Frisson's own; this server's CPU per session-second is the floor on this machine.
 *
 * Raw `node:http` with the hub's HTTP timeouts (server/config.ts defaults, server/bind-port.ts) and
 * socket.io with the hub's transport options (server/app.ts; as echo-server.ts — without connection
 * state recovery, a Frisson feature the load does not exercise). It speaks the hub's protocol:
 *
 * - `POST /api/sessions` → 201 `CreateSessionResponse` (contracts/wire.ts; body validated with
 *   `CreateSessionSchema`);
 * - `GET /sessions/:id/master.m3u8` — one variant and the narration SUBTITLES rendition, as
 *   server/http/stream-router.ts `renderMultivariant`;
 * - `GET /sessions/:id/playlist.m3u8` — an EVENT playlist with `CAN-BLOCK-RELOAD=YES`;
 *   `_HLS_msn` holds the request until that segment is published and answers 503 after three
 *   target durations (RFC 8216bis §6.2.5.2); `EXT-X-ENDLIST` once the film's length is published;
 * - `GET /sessions/:id/narration.m3u8` (ETag, 304 on a match) and `/sessions/:id/narration/N.vtt`
 *   (one tiny constant cue per segment);
 * - `GET /stories/bare/v-<version>/seg-K.ts` — a handful of real segments of the story package held
 *   in memory (or a fixed 48 KB buffer, the demo's 720p average), with media-router.ts's headers:
 *   `Cache-Control: public, max-age=31536000, immutable`, a strong ETag, 304 on a match;
 * - socket.io `/` with handshake auth `{ sessionId, token }` (checked), `sample` → ack
 *   `{ ok: true }`, `playhead` accepted, and a `decision` (contracts/wire.ts `DecisionEvent`) to the
 *   session's room when each of its segments is published. Event payloads are not validated, as in
 *   echo-server.ts: a schema check per event is work the hub chooses to do.
 *
 * Publication follows the hub's rule for a player without playhead reports (server/session
 * `isDue`): one shared 50 ms timer for all sessions (like `SessionManager.tick`) publishes a
 * session's next 1 s segment while its published duration is less than the horizon (the hub's
 * default, `FRISSON_HORIZON`) ahead of a wall clock started by its first media playlist request — one segment
 * per second per session in steady state. The first segment is published at creation. Ended sessions
 * are forgotten 60 s after their end (the hub's grace).
 *
 * Runs as a child process (forked by the load command, `--frisson-home-bare-child`) so its CPU and
 * memory are measured apart from the load generator's; takes its config over IPC and answers
 * `{ type: 'listening', port }`.
 *
 * @example
 *   const bare = await startHomeBareServer({ media: await loadBareMedia('data/demo') });
 *   // … drive http://127.0.0.1:${bare.port} with home-driver.ts …
 *   await bare.close();
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { z } from 'zod';
import { FrissonError } from '../../contracts/errors.js';
import {
  CreateSessionSchema,
  JoinSchema,
  MAX_MESSAGE_BYTES,
  type CreateSessionResponse,
  type DecisionEvent,
  type ServerToClientEvents,
  type SocketData,
} from '../../contracts/wire.js';
import { buildWebVtt, subtitleRenditionTag } from '../../media/narration/webvtt.js';
import { defaultScenePath } from '../../media/story/default-path.js';
import { loadPackagedStory } from '../../media/story/load-manifest.js';
import { ConfigSchema } from '../../server/config.js';

/** What the bare server serves: segment bodies and the film's shape. */
export interface BareMedia {
  /** Segment bodies, played in a cycle (msn n → segment n mod length). */
  segments: Buffer[];
  /** Segments per film: after the last one the playlist ends. */
  filmSegments: number;
  codecs: string;
  width: number;
  height: number;
  bandwidth: number;
  locale: string;
}

/** Segment length (s): the demo's (`segmentDuration: 1`), and the player's target duration. */
const SEGMENT_S = 1;
/** The hub's publication horizon default (server/config.ts `horizon`), read from its schema. */
const HORIZON_S = ConfigSchema.shape.horizon.parse(undefined);
/** The hub's publish tick (server/session/session-manager.ts `tickMs`). */
const TICK_MS = 50;
/** RFC 8216bis §6.2.5.2: a blocking reload not satisfiable within 3 target durations → 503. */
const BLOCK_LIMIT_MS = 3 * SEGMENT_S * 1000;
/** Ended sessions are kept this long for late requests (the hub's `endedGraceMs`). */
const ENDED_GRACE_MS = 60_000;
/** Segments read from the package: a handful, spread over the film, for realistic sizes. */
const SEGMENT_SAMPLE = 10;
/** Without a package: the demo's average 720p segment (data/demo: 3,448,721 B / 72 arrival). */
const FALLBACK_SEGMENT_BYTES = 48 * 1024;
const FALLBACK_FILM_S = 300;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const STORY = 'bare';

/**
 * Segments and film length from a story package (`storyDir` holds `dist/manifest.json`): the
 * default path's length in segments (the demo: 300), and `SEGMENT_SAMPLE` segment files spread
 * over it in the first rendition (the variant the player picks). Without a package: a 300 s film
 * of one fixed-size buffer. `filmSeconds` overrides the length.
 * @example const media = await loadBareMedia('data/demo'); // 300 segments, 10 real bodies
 */
export async function loadBareMedia(storyDir?: string, filmSeconds?: number): Promise<BareMedia> {
  const loaded = storyDir !== undefined ? await loadPackagedStory(storyDir) : null;
  if (loaded && !loaded.success) throw new Error(loaded.error);
  if (!loaded) {
    return {
      segments: [Buffer.alloc(FALLBACK_SEGMENT_BYTES, 0x47)],
      filmSegments: Math.ceil((filmSeconds ?? FALLBACK_FILM_S) / SEGMENT_S),
      codecs: 'avc1.42c01f,mp4a.40.2',
      width: 1280,
      height: 720,
      bandwidth: 1_294_944,
      locale: 'en',
    };
  }
  const { story, mediaDir } = loaded.data;
  const rendition = story.renditions[0];
  const uris = defaultScenePath(story).flatMap((id) => {
    const variants = Object.values(story.scenes[id]?.variants ?? {});
    return (variants[0]?.segments ?? []).map((s) =>
      rendition ? (s.renditionUris?.[rendition.name] ?? s.uri) : s.uri,
    );
  });
  const step = Math.max(1, Math.floor(uris.length / SEGMENT_SAMPLE));
  const picked = uris.filter((_, i) => i % step === 0).slice(0, SEGMENT_SAMPLE);
  return {
    segments: await Promise.all(picked.map((u) => readFile(join(mediaDir, u)))),
    filmSegments: Math.ceil((filmSeconds ?? uris.length * SEGMENT_S) / SEGMENT_S),
    codecs: story.codecs,
    width: rendition?.width ?? story.width,
    height: rendition?.height ?? story.height,
    bandwidth: rendition?.bandwidth ?? 1_294_944,
    locale: story.locales[0] ?? 'en',
  };
}

/**
 * What a home player sends on `/` (contracts/wire.ts `ClientToServerEvents`, the part the bare
 * server answers), with the one ack it gives.
 */
interface BareClientEvents {
  sample: (payload: unknown, ack?: (res: { ok: true }) => void) => void;
  playhead: (payload: unknown, ack?: (res: { ok: true }) => void) => void;
}

interface Waiter {
  msn: number;
  res: ServerResponse;
  deadline: number;
}

interface BareSession {
  id: string;
  token: Buffer;
  /** The token as it appears in URLs. */
  tokenQ: string;
  /** Wall clock of publication: the first media playlist request (null before). */
  clockStart: number | null;
  /** Segments published = the next msn. */
  published: number;
  ended: boolean;
  endedAt: number;
  /** Segment lines of the media and subtitle playlists, appended at each publish. */
  body: string;
  subBody: string;
  waiters: Waiter[];
}

export interface HomeBareServerOptions {
  media: BareMedia;
  port?: number;
  host?: string;
}

export interface HomeBareServerHandle {
  port: number;
  /** Live sessions (ended ones until their grace is over), for tests. */
  sessionCount(): number;
  close(): Promise<void>;
}

/** Starts the bare server; resolves once it listens. */
export function startHomeBareServer(opts: HomeBareServerOptions): Promise<HomeBareServerHandle> {
  const { media } = opts;
  const sessions = new Map<string, BareSession>();
  const segEtags = media.segments.map(
    (b) => `"${createHash('sha256').update(b).digest('base64url').slice(0, 27)}"`,
  );
  const version = createHash('sha256').update(segEtags.join()).digest('hex').slice(0, 12);
  const segLines = media.segments.map(
    (_, k) =>
      `#EXTINF:${SEGMENT_S.toFixed(6)},${STORY}\n/stories/${STORY}/v-${version}/seg-${k}.ts\n`,
  );
  const head = (live: boolean): string =>
    `#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:${SEGMENT_S}\n#EXT-X-PLAYLIST-TYPE:EVENT\n` +
    '#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n' +
    (live
      ? `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=${(3 * SEGMENT_S).toFixed(3)}\n`
      : '') +
    '#EXT-X-INDEPENDENT-SEGMENTS\n';
  const HEAD_LIVE = head(true);
  const HEAD_ENDED = head(false);
  const SUB_HEAD = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:${SEGMENT_S}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n`;
  // Every session's segment n starts at n s on one continuous timeline: its WebVTT is the same for
  // all sessions, built once.
  const vtt = Array.from({ length: media.filmSegments }, (_, n) =>
    buildWebVtt([{ start: n * SEGMENT_S, end: (n + 1) * SEGMENT_S, text: '…' }], {
      timestampMap: { mpegts: n * SEGMENT_S * 90_000, local: n * SEGMENT_S },
    }),
  );

  const http = createServer(
    {
      connectionsCheckingInterval: 1000,
      headersTimeout: ConfigSchema.shape.httpHeadersTimeoutMs.parse(undefined),
      requestTimeout: ConfigSchema.shape.httpRequestTimeoutMs.parse(undefined),
      keepAliveTimeout: ConfigSchema.shape.httpKeepAliveTimeoutMs.parse(undefined),
    },
    (req, res) => route(req, res),
  );
  const io = new Server<BareClientEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    http,
    { transports: ['websocket', 'polling'], maxHttpBufferSize: MAX_MESSAGE_BYTES },
  );

  const authorized = (id: string | undefined, token: string | null): BareSession | FrissonError => {
    const s = id !== undefined ? sessions.get(id) : undefined;
    if (!s) return new FrissonError('FRISSON_ERR_NOT_FOUND', 'no such session');
    const t = token === null ? null : Buffer.from(token);
    if (!t || t.length !== s.token.length || !timingSafeEqual(t, s.token))
      return new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    return s;
  };

  io.use((socket, next) => {
    // socket.io-client adds `pid`/`offset` to a reconnect's auth (as viewer-hub.ts ignores them).
    const { pid: _p, offset: _o, ...auth } = socket.handshake.auth as Record<string, unknown>;
    const parsed = JoinSchema.safeParse(auth);
    const s = parsed.success ? authorized(parsed.data.sessionId, parsed.data.token) : null;
    if (!s || s instanceof FrissonError) {
      next(new Error(s ? s.code : 'FRISSON_ERR_INVALID_PAYLOAD'));
      return;
    }
    socket.data.sessionId = s.id;
    next();
  });
  io.on('connection', (socket) => {
    void socket.join(`session:${socket.data.sessionId ?? ''}`);
    socket.on('sample', (_payload, ack) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
    socket.on('playhead', (_payload, ack) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
  });

  const fail = (res: ServerResponse, err: FrissonError, headers: Record<string, string> = {}) => {
    res.writeHead(err.status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: err.toWire() }));
  };
  const text = (res: ServerResponse, type: string, body: string, etag?: string): void => {
    res.writeHead(200, {
      'content-type': type,
      'cache-control': 'no-cache',
      'content-length': Buffer.byteLength(body),
      ...(etag !== undefined ? { etag } : {}),
    });
    res.end(body);
  };
  const renderMedia = (s: BareSession): string =>
    s.ended ? `${HEAD_ENDED}${s.body}#EXT-X-ENDLIST\n` : HEAD_LIVE + s.body;
  const answerWaiter = (s: BareSession, w: Waiter): void => {
    if (!w.res.destroyed && !w.res.writableEnded) text(w.res, M3U8, renderMedia(s));
  };

  const publish = (s: BareSession): void => {
    const msn = s.published++;
    s.body += segLines[msn % segLines.length] ?? '';
    s.subBody += `#EXTINF:${SEGMENT_S.toFixed(3)},\nnarration/${msn}.vtt?token=${s.tokenQ}\n`;
    if (s.published >= media.filmSegments) {
      s.ended = true;
      s.endedAt = performance.now();
    }
    const decision: DecisionEvent = {
      msn,
      scene: STORY,
      level: 'calm',
      picker: STORY,
      fallback: false,
      reason: STORY,
      why: STORY,
      whyParts: { kind: 'no-sensor', target: 0.5, level: 'calm' },
      uri: `seg-${msn % segLines.length}.ts`,
      duration: SEGMENT_S,
    };
    const room = io.to(`session:${s.id}`);
    room.emit('decision', decision);
    if (s.ended) room.emit('ended', { sessionId: s.id, ending: 'end' });
    if (s.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of s.waiters) {
      if (s.ended || w.msn < s.published) answerWaiter(s, w);
      else keep.push(w);
    }
    s.waiters = keep;
  };

  const tick = (): void => {
    const now = performance.now();
    for (const s of sessions.values()) {
      if (s.ended) {
        if (now - s.endedAt > ENDED_GRACE_MS) sessions.delete(s.id);
        continue;
      }
      if (
        s.clockStart !== null &&
        s.published * SEGMENT_S - (now - s.clockStart) / 1000 < HORIZON_S
      )
        publish(s);
      if (s.waiters.length === 0) continue;
      const keep: Waiter[] = [];
      for (const w of s.waiters) {
        if (w.deadline > now) keep.push(w);
        else if (!w.res.destroyed && !w.res.writableEnded)
          fail(
            w.res,
            new FrissonError('FRISSON_ERR_NOT_FOUND', `segment ${w.msn} not published yet`),
            { 'retry-after': '1' },
          );
      }
      s.waiters = keep;
    }
  };
  const timer = setInterval(tick, TICK_MS);

  const createSession = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 16 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      if (size > 16 * 1024) return fail(res, new FrissonError('FRISSON_ERR_PAYLOAD_TOO_LARGE'));
      let json: unknown;
      try {
        json = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        return fail(res, new FrissonError('FRISSON_ERR_INVALID_PAYLOAD', 'body is not valid JSON'));
      }
      if (!CreateSessionSchema.safeParse(json).success)
        return fail(res, new FrissonError('FRISSON_ERR_INVALID_PAYLOAD'));
      const id = randomUUID();
      const token = randomBytes(24).toString('base64url');
      const s: BareSession = {
        id,
        token: Buffer.from(token),
        tokenQ: encodeURIComponent(token),
        clockStart: null,
        published: 0,
        ended: false,
        endedAt: 0,
        body: '',
        subBody: '',
        waiters: [],
      };
      sessions.set(id, s);
      publish(s);
      const base = `http://${req.headers.host ?? '127.0.0.1'}`;
      const body: CreateSessionResponse = {
        id,
        token,
        playlistUrl: `${base}/sessions/${id}/playlist.m3u8?token=${s.tokenQ}`,
        masterUrl: `${base}/sessions/${id}/master.m3u8?token=${s.tokenQ}`,
        playerUrl: `${base}/?session=${id}&token=${s.tokenQ}`,
      };
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  };

  const master = (s: BareSession): string =>
    [
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      subtitleRenditionTag({
        groupId: 'narration',
        name: media.locale === 'en' ? 'English' : media.locale,
        language: media.locale,
        uri: `narration.m3u8?token=${s.tokenQ}`,
        default: true,
      }),
      `#EXT-X-STREAM-INF:BANDWIDTH=${media.bandwidth},CODECS="${media.codecs}",RESOLUTION=${media.width}x${media.height},SUBTITLES="narration"`,
      `playlist.m3u8?token=${s.tokenQ}`,
      '',
    ].join('\n');

  const mediaPlaylist = (s: BareSession, q: URLSearchParams, res: ServerResponse): void => {
    s.clockStart ??= performance.now();
    const param = q.get('_HLS_msn');
    if (param === null || s.ended) return text(res, M3U8, renderMedia(s));
    const msn = Number(param);
    if (!Number.isInteger(msn) || msn < 0)
      return fail(
        res,
        new FrissonError('FRISSON_ERR_INVALID_PAYLOAD', '_HLS_msn must be a non-negative integer'),
      );
    // RFC 8216bis §6.2.5.2: more than two segments beyond the last one is a client error.
    if (msn > s.published + 1)
      return fail(
        res,
        new FrissonError(
          'FRISSON_ERR_INVALID_PAYLOAD',
          `_HLS_msn ${msn} is more than two segments beyond the last one (${s.published - 1})`,
        ),
      );
    if (msn < s.published) return text(res, M3U8, renderMedia(s));
    s.waiters.push({ msn, res, deadline: performance.now() + BLOCK_LIMIT_MS });
  };

  const segment = (k: number, req: IncomingMessage, res: ServerResponse): void => {
    const body = media.segments[k];
    const etag = segEtags[k];
    if (!body || !etag) return fail(res, new FrissonError('FRISSON_ERR_NOT_FOUND'));
    const inm = req.headers['if-none-match'];
    if (inm !== undefined && inm.split(/\s*,\s*/).some((t) => t === etag || t === '*')) {
      res.writeHead(304, { 'cache-control': IMMUTABLE, etag });
      res.end();
      return;
    }
    res.writeHead(200, {
      'cache-control': IMMUTABLE,
      etag,
      'content-type': 'video/mp2t',
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  function route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const qAt = url.indexOf('?');
    const path = qAt < 0 ? url : url.slice(0, qAt);
    const parts = path.split('/');
    if (req.method === 'POST' && path === '/api/sessions') return createSession(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return fail(res, new FrissonError('FRISSON_ERR_NOT_FOUND'));
    // /stories/bare/v-<version>/seg-<k>.ts
    if (parts[1] === 'stories' && parts[2] === STORY && parts[3] === `v-${version}`) {
      const m = /^seg-(\d+)\.ts$/.exec(parts[4] ?? '');
      return segment(m ? Number(m[1]) : -1, req, res);
    }
    if (parts[1] !== 'sessions') return fail(res, new FrissonError('FRISSON_ERR_NOT_FOUND'));
    const q = new URLSearchParams(qAt < 0 ? '' : url.slice(qAt + 1));
    const s = authorized(parts[2], q.get('token'));
    if (s instanceof FrissonError) return fail(res, s);
    const file = parts[3];
    if (parts.length === 4 && file === 'playlist.m3u8') return mediaPlaylist(s, q, res);
    if (parts.length === 4 && file === 'master.m3u8') return text(res, M3U8, master(s));
    if (parts.length === 4 && file === 'narration.m3u8') {
      const etag = `"${s.id}.n${s.published}${s.ended ? 'e' : ''}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { 'cache-control': 'no-cache', etag });
        res.end();
        return;
      }
      return text(res, M3U8, SUB_HEAD + s.subBody + (s.ended ? '#EXT-X-ENDLIST\n' : ''), etag);
    }
    if (parts.length === 5 && file === 'narration') {
      const m = /^(\d+)\.vtt$/.exec(parts[4] ?? '');
      const msn = m ? Number(m[1]) : -1;
      const body = msn >= 0 && msn < s.published ? vtt[msn] : undefined;
      if (body === undefined)
        return fail(res, new FrissonError('FRISSON_ERR_NOT_FOUND', 'no such subtitle segment'));
      return text(res, 'text/vtt', body);
    }
    fail(res, new FrissonError('FRISSON_ERR_NOT_FOUND'));
  }

  return new Promise((resolve, reject) => {
    http.once('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    http.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      resolve({
        port: (http.address() as AddressInfo).port,
        sessionCount: () => sessions.size,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(timer);
            for (const s of sessions.values()) for (const w of s.waiters) w.res.destroy();
            sessions.clear();
            http.closeAllConnections();
            void io.close(() => done());
          }),
      });
    });
  });
}

const M3U8 = 'application/vnd.apple.mpegurl';

/** The child's config (IPC, from the load command). */
export const HomeBareChildConfigSchema = z.object({
  story: z.string().optional(),
  filmSeconds: z.number().positive().optional(),
});
export type HomeBareChildConfig = z.infer<typeof HomeBareChildConfigSchema>;
/** The child's answer once it listens. */
export const HomeBareListeningSchema = z.object({
  type: z.literal('listening'),
  port: z.number().int().positive(),
  filmSeconds: z.number().positive(),
});

// Child-process entry: `fork(home-bare-server)`, `{ type: 'start', cfg }` →
// `{ type: 'listening', port, filmSeconds }`.
if (process.send && process.argv.includes('--frisson-home-bare-child')) {
  process.once('message', (msg: unknown) => {
    const parsed = z
      .object({ type: z.literal('start'), cfg: HomeBareChildConfigSchema })
      .safeParse(msg);
    if (!parsed.success) {
      process.stderr.write('home bare server: bad start message\n');
      process.exit(2);
    }
    const { story, filmSeconds } = parsed.data.cfg;
    const start = async (): Promise<void> => {
      const media = await loadBareMedia(story, filmSeconds);
      const handle = await startHomeBareServer({ media });
      process.send?.({
        type: 'listening',
        port: handle.port,
        filmSeconds: media.filmSegments * SEGMENT_S,
      });
      process.on('disconnect', () => void handle.close().then(() => process.exit(0)));
    };
    start().catch((err: unknown) => {
      process.stderr.write(
        `home bare server: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exit(1);
    });
  });
}
