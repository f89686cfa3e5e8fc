/**
 * Wires the stages into one process: express + socket.io on one port, the session manager with its
 * publish tick, the store, and static media. `createFrissonServer` is what `frisson serve` and the
 * integration tests run, so tests exercise exactly the production wiring.
 */
import express from 'express';
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import { ThresholdPicker } from '../models/director/threshold-picker.js';
import type { ViewerSignal } from '../contracts/heart.js';
import type { PackagedStory } from '../contracts/story.js';
import type { Config } from './config.js';
import { FrissonError } from '../contracts/errors.js';
import { ClusterMode } from './cluster/cluster-mode.js';
import { createApiRouter, errorHandler } from './http/api-router.js';
import { createFaviconRouter } from './http/favicon-router.js';
import { createStreamRouter } from './http/stream-router.js';
import {
  createMediaRouter,
  mediaVersion,
  SegmentStore,
  segmentUrlFor,
} from './http/media-router.js';
import { createHotPath, securityHeaderList } from './http/hot-path.js';
import { NarrationService } from './session/narration-service.js';
import { TraceService } from './session/trace-service.js';
import { DirectorPool } from './session/director-pool.js';
import { defaultModelPath } from '../models/director/model-metadata.js';
import { createNarrator, narrationConfigFromEnv } from '../media/narration/create-narrator.js';
import { ViewerHub } from './hub/viewer-hub.js';
import { JoinTokens } from './auth/join-token.js';
import { OperatorKey } from './auth/operator-key.js';
import { TokenAccess } from './auth/token-access.js';
import { ScreenGrants } from './auth/screen-grants.js';
import type { HubController } from './hub/hub-controller.js';
import { loadTokenSecret } from './auth/token-secret.js';
import { OperatorNamespace } from './hub/operator-namespace.js';
import { ScreenNamespace } from './hub/screen-namespace.js';
import { createPrivacyRouter } from './http/privacy-router.js';
import { PrivacyService } from './http/privacy-service.js';
import { createReportRouter } from './http/report-router.js';
import { createShowRouter } from './http/show-router.js';
import { securityHeaders } from './http/security-headers.js';
import {
  createSimulatedViewerRouter,
  SimulatedViewerRoster,
} from './http/simulated-viewer-router.js';
import { storyMediaGuard } from './http/story-media-guard.js';
import { FrissonMetrics } from './metrics/frisson-metrics.js';
import { createHealthRouter } from './metrics/health-router.js';
import { InstrumentedDirector } from './metrics/instrumented-director.js';
import { ShowManager } from './show/show-manager.js';
import { ShowSeatIntake } from './hub/show-seat-intake.js';
import { bindPort, createHttpServer } from './bind-port.js';
import { Admission } from './hub/admission.js';
import { createLogger } from './logger.js';
import { clientPublicDir } from './paths.js';
import {
  MAX_MESSAGE_BYTES,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../contracts/wire.js';
import {
  PickerDirector,
  type SessionDirector,
  type SyncPicker,
} from './session/deadline-director.js';
import { SessionManager } from './session/session-manager.js';
import { GuardedStore } from './store/guarded-store.js';
import { StoreOpenError } from './store/sqlite-file.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { requirePackagedStory } from './story-library.js';
import { createViewerSignal } from './session/viewer-signal-factory.js';

export interface FrissonServer {
  readonly http: HttpServer;
  readonly io: Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >;
  readonly sessions: SessionManager;
  /** Venue shows (server/show). */
  readonly shows: ShowManager;
  /** This instance's Prometheus registry and instruments. */
  readonly metrics: FrissonMetrics;
  readonly tokens: JoinTokens;
  /** The store behind its guard (coded 503s, one log line per fault, `/readyz`, metrics). */
  readonly store: GuardedStore;
  readonly log: Logger;
  readonly story: PackagedStory;
  /** Live sample-stream recorder (null unless FRISSON_TRACE_DIR is set). */
  readonly traces: TraceService | null;
  /** The learned director's batching pool (null unless FRISSON_PICKER=director). */
  readonly director: DirectorPool | null;
  /** Simulated viewers shown at /watch/sim (`--simulate N` attaches them; empty otherwise). */
  readonly simulated: SimulatedViewerRoster;
  /** The hub's controllers, one per namespace, in build order (`close` destroys them in reverse). */
  readonly hub: readonly HubController[];
  /** Base URL once listening, e.g. http://127.0.0.1:8080 */
  url(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface FrissonServerDeps {
  /**
   * An HTTP server already bound to the port (`frisson serve` binds first, so a busy port fails
   * before the store is touched); its placeholder request listeners are replaced by the app once
   * everything is ready. Default: a new server, bound by `listen()`.
   */
  http?: HttpServer;
  store?: Store;
  log?: Logger;
  createSignal?: () => ViewerSignal;
  createDirector?: (cfg: Config) => SessionDirector;
  clock?: () => number;
}

/** A picker that always plays the first (lowest) candidate: the fixed linear cut, director off. */
const FIXED_PICKER: SyncPicker = {
  name: 'fixed',
  pickSync: () => ({ index: 0, picker: 'fixed', reason: 'director disabled (fixed cut)' }),
};

function defaultDirector(cfg: Config): SessionDirector {
  const threshold = new ThresholdPicker();
  return new PickerDirector({
    primary: cfg.picker === 'fixed' ? FIXED_PICKER : threshold,
    fallback: threshold,
  });
}

/** The SQLite store, or a one-line error naming the file and the setting that moves it. */
function openStore(path: string): SqliteStore {
  try {
    return SqliteStore.open(path);
  } catch (err) {
    // Held by another server, emptied, orphaned: already one complete line for the operator.
    if (err instanceof StoreOpenError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `cannot open the store ${path}: ${reason}; pass --db (FRISSON_DB) with a file in a writable directory`,
      { cause: err },
    );
  }
}

/** The host part of a URL reaching `bindHost` (any-address binds are reached on loopback). */
function urlHost(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '') return '127.0.0.1';
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}

/** What every assembler may read: the config, the injected parts, the logger and the clock. */
interface Ground {
  cfg: Config;
  deps: FrissonServerDeps;
  log: Logger;
  clock: () => number;
  /** Instruments exist first: the store and the directors report into them as they are built. */
  metrics: FrissonMetrics;
}

/** 1. The store: SQLite, or Redis + a local SQLite archive in cluster mode, behind its guard. */
async function assembleStore(
  g: Ground,
): Promise<{ cluster: ClusterMode | null; store: GuardedStore }> {
  const { cfg, deps, log, clock, metrics } = g;
  // Cluster mode (FRISSON_REDIS_URL): live state in Redis, archival records in the local SQLite.
  const cluster = cfg.redisUrl
    ? await ClusterMode.connect({
        redisUrl: cfg.redisUrl,
        ...(cfg.nodeId ? { nodeId: cfg.nodeId } : {}),
        archive: openStore(cfg.db),
        log,
      })
    : null;
  const store = new GuardedStore(deps.store ?? cluster?.store ?? openStore(cfg.db), {
    name: cfg.db,
    log,
    clock,
    onFault: (operation, code) => metrics.storeFailure(operation, code),
  });
  return { cluster, store };
}

/** 2. Identity (server/auth): signed, expiring, scoped join tokens; the operator credential. */
function assembleAuth(g: Ground) {
  const { cfg, clock } = g;
  const tokens = new JoinTokens({
    secret: loadTokenSecret({ ...(cfg.secret ? { secret: cfg.secret } : {}), dbPath: cfg.db }),
    ttlSeconds: cfg.tokenTtl,
    clock,
  });
  // A show token grants its screen session: the show manager records the screens here.
  const grants = new ScreenGrants();
  const access = new TokenAccess({ tokens, screenSessionOf: (id) => grants.screenSessionOf(id) });
  const operatorKey = new OperatorKey(cfg.operatorKey, {
    attemptsPerMinute: cfg.operatorAttempts,
    clock,
  });
  /** When a signed token expires (ms); null for a token that is not one (legacy opaque ones). */
  const tokenExpiry = (token: string): number | null => {
    try {
      return tokens.verify(token).exp * 1000;
    } catch {
      return null;
    }
  };
  return { tokens, grants, access, operatorKey, tokenExpiry };
}

/** 3. Sessions and shows, with their director, signal, narration, traces and privacy. */
function assembleStages(
  g: Ground,
  story: PackagedStory,
  store: GuardedStore,
  auth: ReturnType<typeof assembleAuth>,
  cluster: ClusterMode | null,
) {
  const { cfg, deps, log, clock, metrics } = g;
  // The learned director (FRISSON_PICKER=director, the default): one pool batches every session's
  // decisions per tick into one ONNX run; a missing or corrupt model means the rule answers.
  const directorPool =
    cfg.picker === 'director' && !deps.createDirector
      ? new DirectorPool({ modelPath: cfg.model ?? defaultModelPath(), deadlineMs: cfg.deadlineMs })
      : null;
  if (directorPool) {
    void directorPool.ready.then((ok) => {
      if (!ok)
        log.warn({ model: cfg.model }, 'director model unavailable: the rule picker answers');
    });
  }
  const createSignal =
    deps.createSignal ?? (() => createViewerSignal({ calibrationS: cfg.calibration }));
  const sessions = new SessionManager({
    tokens: {
      issue: (id) => auth.tokens.sign({ scope: 'session', id }),
      verify: (id, token) => void auth.access.forSession(token, id),
    },
    story,
    store,
    log,
    horizonSeconds: cfg.horizon,
    maxHorizonSeconds: cfg.horizonMax,
    blockingReload: cfg.blockingReload,
    createDirector: () =>
      new InstrumentedDirector(
        directorPool ? directorPool.create(story) : (deps.createDirector ?? defaultDirector)(cfg),
        metrics,
      ),
    createSignal,
    onSamplesDropped: (n) => metrics.samplesDroppedBy(n),
    idleTimeoutMs: cfg.sessionIdleS * 1000,
    clock,
  });
  const shows = new ShowManager({
    story,
    store,
    sessions,
    tokens: auth.tokens,
    grants: auth.grants,
    log,
    createSignal,
    clock,
  });
  metrics.watch({
    sessions: () => sessions.size,
    shows: () => shows.list().filter((s) => !s.ended).length,
    seatsInContact: () =>
      shows
        .list()
        .filter((s) => !s.ended)
        .map((s) => ({ show: s.id, seats: s.seatsInContact() })),
    storeUp: () => store.health().ok,
  });
  // Narration: one narrator per story (grammar, or an LLM with a grammar fallback), one subtitle
  // track per session, attached before a session publishes its first segment.
  const narrationConfig = narrationConfigFromEnv();
  const narration =
    narrationConfig.enabled === false
      ? null
      : new NarrationService(createNarrator(story, narrationConfig).narrator);
  if (narration) {
    sessions.on('created', (s) => narration.attach(s));
    sessions.on('removed', (id) => narration.detach(id));
  }
  const traces = cfg.traceDir ? new TraceService(cfg.traceDir, { log }) : null;
  if (traces) sessions.on('created', (s) => traces.attach(s));
  const privacy = new PrivacyService({
    store,
    sessions,
    shows,
    log,
    retentionDays: cfg.retentionDays,
    traces,
    cluster: cluster?.privacy ?? null,
    clock,
  });
  return { directorPool, sessions, shows, narration, traces, privacy };
}

type Stages = ReturnType<typeof assembleStages>;
type FrissonIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** 4. The HTTP routers, in the order they match. */
function assembleHttp(
  g: Ground,
  app: express.Express,
  ctx: {
    story: PackagedStory;
    mediaDir: string;
    store: GuardedStore;
    auth: ReturnType<typeof assembleAuth>;
    stages: Stages;
    listening: () => boolean;
    publicUrl: () => string;
    simulated: SimulatedViewerRoster;
    security: express.RequestHandler;
  },
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { cfg, log, clock, metrics } = g;
  const { story, mediaDir, store, auth, stages, publicUrl } = ctx;
  const { sessions, shows, privacy, narration } = stages;
  const { access, operatorKey } = auth;
  app.use(
    createHealthRouter({
      metrics,
      metricsToken: cfg.metricsToken,
      operatorKey,
      sessions: () => sessions.size,
      shows: () => shows.size,
      ready: () =>
        Promise.resolve({
          story: story.id.length > 0,
          // Not a read: a full disk still answers reads. The guard knows whether writes fail.
          store: store.describeFault() ?? true,
          listening: ctx.listening(),
        }),
    }),
  );
  app.use(
    createShowRouter({ shows, access, operatorKey, publicUrl, onVote: () => metrics.vote() }),
  );
  app.use(createPrivacyRouter({ privacy, access, operatorKey, store }));
  app.use(
    createReportRouter({
      store,
      story,
      access,
      operatorKey,
      storyDir: cfg.story,
      samples: (id, showId) => privacy.allSamples(id, showId),
    }),
  );
  app.use(createStreamRouter({ sessions, narration }));
  // Segments: from memory, under versioned immutable URLs (server/http/media-router.ts).
  const version = mediaVersion(mediaDir);
  const segmentUrl = segmentUrlFor(story.id, version);
  app.use(
    createApiRouter({
      sessions,
      storyId: story.id,
      publicUrl,
      limits: { createPerMinute: cfg.sessionCreateRate, maxSessions: cfg.maxSessions },
      clock,
      segmentUrl,
    }),
  );
  const segments = new SegmentStore({ story, mediaDir, version });
  app.use(createMediaRouter(segments));
  app.use(`/stories/${encodeURIComponent(story.id)}`, (req, _res, next) => {
    // serve-static answers other methods with a bare 405; keep every refusal coded.
    next(
      req.method === 'GET' || req.method === 'HEAD'
        ? undefined
        : new FrissonError('FRISSON_ERR_NOT_FOUND'),
    );
  });
  app.use(`/stories/${encodeURIComponent(story.id)}`, storyMediaGuard(mediaDir, operatorKey));
  app.use(
    `/stories/${encodeURIComponent(story.id)}`,
    express.static(mediaDir, {
      fallthrough: false,
      index: false,
      dotfiles: 'deny',
      // Segments are immutable once packaged; playlists are not served from here.
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.endsWith('.ts')) res.setHeader('Content-Type', 'video/mp2t');
      },
    }),
  );
  app.use(createFaviconRouter());
  app.use(createSimulatedViewerRouter({ roster: ctx.simulated, publicDir: clientPublicDir() }));
  app.use(express.static(clientPublicDir(), { index: 'index.html' }));
  // Unknown routes (and non-GET media requests) get a coded 404 rather than express's HTML page.
  app.use((_req, _res, next) => next(new FrissonError('FRISSON_ERR_NOT_FOUND')));
  app.use(errorHandler(log));
  // Before express: the four requests a home viewer makes every second (server/http/hot-path.ts).
  return createHotPath({
    sessions,
    narration,
    segments,
    segmentUrl,
    clock,
    headers: securityHeaderList(ctx.security, `/sessions/_/playlist.m3u8`),
    onError: (err) => log.error({ err }, 'request failed'),
  });
}

/** 5. The hub's controllers, one per namespace, in the order they are destroyed in reverse. */
function assembleHub(
  g: Ground,
  io: FrissonIo,
  ctx: {
    store: GuardedStore;
    auth: ReturnType<typeof assembleAuth>;
    stages: Stages;
    cluster: ClusterMode | null;
    admission: Admission;
  },
): HubController[] {
  const { cfg, clock, metrics } = g;
  const { auth, stages, cluster } = ctx;
  const onAuthenticated = (socket: Socket): void => ctx.admission.authenticated(socket);
  const rate = { ratePerSecond: cfg.rateLimit, burst: cfg.rateBurst };
  const sessionCluster = cluster?.sessionCluster;
  const showCluster = cluster?.showCluster;
  return [
    new ViewerHub({
      io,
      sessions: stages.sessions,
      clock,
      rate,
      observer: metrics,
      narration: stages.narration,
      onAuthenticated,
      tokenExpiry: auth.tokenExpiry,
      ...(sessionCluster ? { cluster: sessionCluster } : {}),
    }),
    new ScreenNamespace({
      io,
      shows: stages.shows,
      access: auth.access,
      rate,
      observer: metrics,
      onAuthenticated,
      ...(showCluster ? { cluster: showCluster } : {}),
      clock,
    }),
    new OperatorNamespace({
      io,
      shows: stages.shows,
      operatorKey: auth.operatorKey,
      rate,
      observer: metrics,
      onAuthenticated,
      ...(showCluster ? { cluster: showCluster } : {}),
      clock,
    }),
    new ShowSeatIntake({
      io,
      shows: stages.shows,
      access: auth.access,
      store: ctx.store,
      rate,
      observer: metrics,
      onAuthenticated,
      clock,
      onIngest: (_show, accepted, rejected) => metrics.seatBatch(accepted, rejected),
    }),
  ];
}

/**
 * Builds the server in one explicit order — store → auth → sessions and shows → transport (express
 * and socket.io, cluster routing first) → HTTP routers → resumed sessions → hub controllers — each
 * step taking only what the steps before it built (docs/design.md, "Assembly, the inbound edge and
 * controllers").
 */
export async function createFrissonServer(
  cfg: Config,
  deps: FrissonServerDeps = {},
): Promise<FrissonServer> {
  const log = deps.log ?? createLogger(cfg.logLevel, { format: cfg.logFormat });
  const { story, mediaDir } = await requirePackagedStory(cfg.story);
  const g: Ground = {
    cfg,
    deps,
    log,
    clock: deps.clock ?? Date.now,
    metrics: new FrissonMetrics(),
  };
  const { cluster, store } = await assembleStore(g);
  const auth = assembleAuth(g);
  const stages = assembleStages(g, story, store, auth, cluster);
  const { sessions, shows, narration, traces, privacy, directorPool } = stages;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', cfg.trustProxy);
  const security = securityHeaders();
  app.use(security);
  const http = deps.http ?? createHttpServer(cfg);
  // A server handed in (bound early by `frisson serve`) gets the same explicit timeouts.
  http.headersTimeout = cfg.httpHeadersTimeoutMs;
  http.requestTimeout = Math.max(cfg.httpRequestTimeoutMs, cfg.httpHeadersTimeoutMs);
  http.keepAliveTimeout = cfg.httpKeepAliveTimeoutMs;
  // Before a namespace sees a connection: a cap, a small frame limit and a deadline until it
  // authenticates (server/hub/admission.ts).
  const admission = new Admission({
    maxConnections: cfg.maxConnections,
    preAuthFrameBytes: Math.min(cfg.preAuthFrameBytes, MAX_MESSAGE_BYTES),
    maxFrameBytes: MAX_MESSAGE_BYTES,
    authTimeoutMs: cfg.authTimeout * 1000,
  });
  // Attached to `http` at the end, once every namespace has its handlers (see below).
  const io: FrissonIo = new Server({
    parser: admission.parser,
    // Websocket first; polling stays as a fallback for proxies that block upgrades.
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 30_000 },
  });
  let baseUrl = cfg.publicUrl ?? '';
  const simulated = new SimulatedViewerRoster();
  // Before any router or namespace: requests for sessions served by another process go there.
  cluster?.attach({
    app,
    io,
    sessions,
    shows,
    access: auth.access,
    verifyToken: (id, token) => void auth.access.forSession(token, id),
    privacy,
  });
  const hotPath = assembleHttp(g, app, {
    story,
    mediaDir,
    store,
    auth,
    stages,
    listening: () => http.listening,
    publicUrl: () => baseUrl,
    simulated,
    security,
  });

  // Resume before the hub exists: the hub relays events of the sessions it sees at construction
  // (and of `created` ones), so resumed sessions keep reaching their players after a restart.
  // In cluster mode sessions are adopted on demand (server/cluster), not all by every process.
  const resumed = cluster ? 0 : await sessions.resumeAll();
  const resumedShows = cluster ? 0 : await shows.resumeAll();
  if (resumedShows > 0) log.info({ resumedShows }, 'resumed shows from the store');
  if (resumed > 0) log.info({ resumed }, 'resumed sessions from the store');
  for (const s of sessions.list()) {
    narration?.attach(s);
    traces?.attach(s);
  }
  const controllers = assembleHub(g, io, { store, auth, stages, cluster, admission });
  shows.start();
  await privacy.start();
  sessions.start();
  // Only now does the port answer with the app: the placeholder (server/bind-port.ts) goes, the
  // app comes, and socket.io wraps it (engine.io keeps the request listeners present at attach).
  http.removeAllListeners('request');
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!cfg.httpHotPath || !hotPath(req, res)) app(req, res);
  });
  io.attach(http);
  admission.attach(io);

  return {
    http,
    io,
    sessions,
    shows,
    metrics: g.metrics,
    tokens: auth.tokens,
    store,
    log,
    story,
    traces,
    director: directorPool,
    simulated,
    hub: controllers,
    url: () => baseUrl,
    listen: async () => {
      if (!http.listening) await bindPort(http, cfg.port, cfg.host);
      const addr = http.address() as AddressInfo;
      const own = `http://${urlHost(cfg.host)}:${addr.port}`;
      baseUrl = cfg.publicUrl ?? own;
      cluster?.start(own);
      return baseUrl;
    },
    close: async () => {
      narration?.destroy();
      await directorPool?.destroy();
      await traces?.close();
      privacy.close();
      // The hub's controllers in reverse order: seats first (their cursors are written).
      for (const c of [...controllers].reverse()) c.destroy();
      admission.destroy();
      await shows.close();
      await sessions.close();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
      await cluster?.close();
    },
  };
}
