/**
 * Wires the stages into one process: express + socket.io on one port, the session manager with its
 * publish tick, the store, and static media. `createFrissonServer` is what `frisson serve` and the
 * integration tests run, so tests exercise exactly the production wiring.
 */
import express from 'express';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
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
import { createMediaRouter, mediaVersion, segmentUrlFor } from './http/media-router.js';
import { NarrationService } from './session/narration-service.js';
import { TraceService } from './session/trace-service.js';
import { DirectorPool } from './session/director-pool.js';
import { defaultModelPath } from '../models/director/model-metadata.js';
import { createNarrator, narrationConfigFromEnv } from '../media/narration/create-narrator.js';
import { ViewerHub } from './hub/viewer-hub.js';
import { JoinTokens } from './auth/join-token.js';
import { OperatorKey } from './auth/operator-key.js';
import { TokenAccess } from './auth/token-access.js';
import { loadTokenSecret } from './auth/token-secret.js';
import { OperatorNamespace } from './hub/operator-namespace.js';
import { ScreenNamespace } from './hub/screen-namespace.js';
import { createPrivacyRouter } from './http/privacy-router.js';
import { PrivacyService } from './http/privacy-service.js';
import { createReportRouter } from './http/report-router.js';
import { createShowRouter } from './http/show-router.js';
import { FrissonMetrics } from './metrics/frisson-metrics.js';
import { createHealthRouter } from './metrics/health-router.js';
import { InstrumentedDirector } from './metrics/instrumented-director.js';
import { ShowManager } from './show/show-manager.js';
import { ShowSeatIntake } from './hub/show-seat-intake.js';
import { bindPort } from './bind-port.js';
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

export async function createFrissonServer(
  cfg: Config,
  deps: FrissonServerDeps = {},
): Promise<FrissonServer> {
  const log = deps.log ?? createLogger(cfg.logLevel, { format: cfg.logFormat });
  const { story, mediaDir } = await requirePackagedStory(cfg.story);
  // Cluster mode (FRISSON_REDIS_URL): live state in Redis, archival records in the local SQLite.
  const cluster = cfg.redisUrl
    ? await ClusterMode.connect({
        redisUrl: cfg.redisUrl,
        ...(cfg.nodeId ? { nodeId: cfg.nodeId } : {}),
        archive: openStore(cfg.db),
        log,
      })
    : null;
  const clock = deps.clock ?? Date.now;
  // Filled in below: tokens and directors need them before they exist (closures read them late).
  const late: { shows?: ShowManager; metrics?: FrissonMetrics } = {};
  const store = new GuardedStore(deps.store ?? cluster?.store ?? openStore(cfg.db), {
    name: cfg.db,
    log,
    clock,
    onFault: (operation, code) => late.metrics?.storeFailure(operation, code),
  });
  // Identity (server/auth): signed, expiring, scoped join tokens; the operator credential.
  const tokens = new JoinTokens({
    secret: loadTokenSecret({ ...(cfg.secret ? { secret: cfg.secret } : {}), dbPath: cfg.db }),
    ttlSeconds: cfg.tokenTtl,
    clock,
  });
  const operatorKey = new OperatorKey(cfg.operatorKey);
  const access = new TokenAccess({
    tokens,
    screenSessionOf: (id) => late.shows?.screenSessionOf(id),
  });
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
  const sessions = new SessionManager({
    tokens: {
      issue: (id) => tokens.sign({ scope: 'session', id }),
      verify: (id, token) => void access.forSession(token, id),
    },
    story,
    store,
    log,
    horizonSeconds: cfg.horizon,
    blockingReload: cfg.blockingReload,
    createDirector: () => {
      const director = directorPool
        ? directorPool.create(story)
        : (deps.createDirector ?? defaultDirector)(cfg);
      return late.metrics ? new InstrumentedDirector(director, late.metrics) : director;
    },
    createSignal:
      deps.createSignal ?? (() => createViewerSignal({ calibrationS: cfg.calibration })),
    onSamplesDropped: (n) => late.metrics?.samplesDroppedBy(n),
    clock,
  });
  const createSignal =
    deps.createSignal ?? (() => createViewerSignal({ calibrationS: cfg.calibration }));
  const showManager = new ShowManager({
    story,
    store,
    sessions,
    tokens,
    log,
    createSignal,
    horizonSeconds: cfg.horizon,
    clock,
  });
  late.shows = showManager;
  const frissonMetrics = new FrissonMetrics({
    sessions: () => sessions.size,
    shows: () => showManager.list().filter((s) => !s.ended).length,
    seatsInContact: () =>
      showManager
        .list()
        .filter((s) => !s.ended)
        .map((s) => ({ show: s.id, seats: s.seatsInContact() })),
    storeUp: () => store.health().ok,
  });
  late.metrics = frissonMetrics;
  const traces = cfg.traceDir ? new TraceService(cfg.traceDir, { log }) : null;
  const privacy = new PrivacyService({
    store,
    sessions,
    shows: showManager,
    log,
    retentionDays: cfg.retentionDays,
    traces,
    clock,
  });
  const rate = { ratePerSecond: cfg.rateLimit, burst: cfg.rateBurst };

  const app = express();
  app.disable('x-powered-by');
  const http = deps.http ?? createServer();
  // Attached to `http` at the end, once every namespace has its handlers (see below).
  const io = new Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >({
    // Websocket first; polling stays as a fallback for proxies that block upgrades.
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 30_000 },
  });
  let baseUrl = cfg.publicUrl ?? '';
  // Before any router or namespace: requests for sessions served by another process go there.
  cluster?.attach({
    app,
    io,
    sessions,
    shows: showManager,
    access,
    clock,
    verifyToken: (id, token) => void access.forSession(token, id),
  });

  app.use(
    createHealthRouter({
      metrics: frissonMetrics,
      sessions: () => sessions.size,
      shows: () => showManager.size,
      ready: () =>
        Promise.resolve({
          story: story.id.length > 0,
          // Not a read: a full disk still answers reads. The guard knows whether writes fail.
          store: store.describeFault() ?? true,
          listening: http.listening,
        }),
    }),
  );
  app.use(
    createShowRouter({
      shows: showManager,
      access,
      operatorKey,
      publicUrl: () => baseUrl,
      onVote: () => frissonMetrics.vote(),
    }),
  );
  app.use(createPrivacyRouter({ privacy, access, operatorKey, store }));
  app.use(createReportRouter({ store, story, access, operatorKey, storyDir: cfg.story }));
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
    narration.on('line', (id, cue) => io.to(`session:${id}`).emit('narration', cue));
  }
  app.use(createStreamRouter({ sessions, narration }));
  if (traces) sessions.on('created', (s) => traces.attach(s));
  // Segments: from memory, under versioned immutable URLs (server/http/media-router.ts).
  const version = mediaVersion(mediaDir);
  app.use(
    createApiRouter({
      sessions,
      storyId: story.id,
      publicUrl: () => baseUrl,
      clock,
      segmentUrl: segmentUrlFor(story.id, version),
    }),
  );
  app.use(createMediaRouter({ story, mediaDir, version }));
  app.use(`/stories/${encodeURIComponent(story.id)}`, (req, _res, next) => {
    // serve-static answers other methods with a bare 405; keep every refusal coded.
    next(
      req.method === 'GET' || req.method === 'HEAD'
        ? undefined
        : new FrissonError('FRISSON_ERR_NOT_FOUND'),
    );
  });
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
  app.use(express.static(clientPublicDir(), { index: 'index.html' }));
  // Unknown routes (and non-GET media requests) get a coded 404 rather than express's HTML page.
  app.use((_req, _res, next) => next(new FrissonError('FRISSON_ERR_NOT_FOUND')));
  app.use(errorHandler(log));

  // Resume before the hub exists: the hub relays events of the sessions it sees at construction
  // (and of `created` ones), so resumed sessions keep reaching their players after a restart.
  // In cluster mode sessions are adopted on demand (server/cluster), not all by every process.
  const resumed = cluster ? 0 : await sessions.resumeAll();
  const resumedShows = cluster ? 0 : await showManager.resumeAll();
  if (resumedShows > 0) log.info({ resumedShows }, 'resumed shows from the store');
  if (resumed > 0) log.info({ resumed }, 'resumed sessions from the store');
  for (const s of sessions.list()) {
    narration?.attach(s);
    traces?.attach(s);
  }
  new ViewerHub({ io, sessions, clock, rate, observer: frissonMetrics });
  const showCluster = cluster?.showCluster;
  new ScreenNamespace({
    io,
    shows: showManager,
    access,
    rate,
    observer: frissonMetrics,
    ...(showCluster ? { cluster: showCluster } : {}),
    clock,
  });
  new OperatorNamespace({
    io,
    shows: showManager,
    operatorKey,
    rate,
    observer: frissonMetrics,
    ...(showCluster ? { cluster: showCluster } : {}),
    clock,
  });
  const seatIntake = new ShowSeatIntake({
    io,
    shows: showManager,
    access,
    store,
    onIngest: (_show, accepted, rejected) => frissonMetrics.seatBatch(accepted, rejected),
  });
  showManager.start();
  await privacy.start();
  sessions.start();
  // Only now does the port answer with the app: the placeholder (server/bind-port.ts) goes, the
  // app comes, and socket.io wraps it (engine.io keeps the request listeners present at attach).
  http.removeAllListeners('request');
  http.on('request', app);
  io.attach(http);

  return {
    http,
    io,
    sessions,
    shows: showManager,
    metrics: frissonMetrics,
    tokens,
    store,
    log,
    story,
    traces,
    director: directorPool,
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
      seatIntake.close();
      await showManager.close();
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
