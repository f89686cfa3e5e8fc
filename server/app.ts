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
import type { PickContext, PickResult, ScenePicker } from '../models/director/scene-picker.js';
import type { ViewerSignal } from '../sensors/signal/signal-types.js';
import type { PackagedStory } from '../media/story/manifest.js';
import type { Config } from './config.js';
import { createApiRouter, errorHandler } from './http/api-router.js';
import { ViewerHub } from './hub/viewer-hub.js';
import { createLogger } from './logger.js';
import { clientPublicDir } from './paths.js';
import {
  MAX_MESSAGE_BYTES,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from './protocol.js';
import { DeadlineDirector, type SessionDirector } from './session/deadline-director.js';
import { SessionManager } from './session/session-manager.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { loadPackagedStory } from './story-library.js';
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
  readonly store: Store;
  readonly log: Logger;
  readonly story: PackagedStory;
  /** Base URL once listening, e.g. http://127.0.0.1:8080 */
  url(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface FrissonServerDeps {
  store?: Store;
  log?: Logger;
  createSignal?: () => ViewerSignal;
  createDirector?: (cfg: Config) => SessionDirector;
  clock?: () => number;
}

/** A picker that always plays the first (lowest) candidate: the fixed linear cut, director off. */
class FixedPicker implements ScenePicker {
  readonly name = 'fixed';
  pick(_ctx: PickContext): Promise<PickResult> {
    return Promise.resolve({
      index: 0,
      picker: this.name,
      reason: 'director disabled (fixed cut)',
    });
  }
}

function defaultDirector(cfg: Config): SessionDirector {
  const fallback = new ThresholdPicker();
  const primary: ScenePicker = cfg.picker === 'fixed' ? new FixedPicker() : fallback;
  return new DeadlineDirector({ primary, fallback, deadlineMs: cfg.deadlineMs });
}

export async function createFrissonServer(
  cfg: Config,
  deps: FrissonServerDeps = {},
): Promise<FrissonServer> {
  const log = deps.log ?? createLogger(cfg.logLevel);
  const { story, mediaDir } = await loadPackagedStory(cfg.story);
  const store = deps.store ?? SqliteStore.open(cfg.db);
  const clock = deps.clock ?? Date.now;
  const sessions = new SessionManager({
    story,
    store,
    log,
    horizonSeconds: cfg.horizon,
    createDirector: () => (deps.createDirector ?? defaultDirector)(cfg),
    createSignal:
      deps.createSignal ?? (() => createViewerSignal({ calibrationS: cfg.calibration })),
    clock,
  });

  const app = express();
  app.disable('x-powered-by');
  const http = createServer(app);
  const io = new Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >(http, {
    // Websocket first; polling stays as a fallback for proxies that block upgrades.
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 30_000 },
  });
  let baseUrl = cfg.publicUrl ?? '';

  app.use(
    createApiRouter({
      sessions,
      storyId: story.id,
      publicUrl: () => baseUrl,
      clock,
    }),
  );
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
  app.use(express.static(clientPublicDir(), { index: 'index.html' }));
  app.use(errorHandler(log));

  new ViewerHub({ io, sessions, clock });
  const resumed = await sessions.resumeAll();
  if (resumed > 0) log.info({ resumed }, 'resumed sessions from the store');
  sessions.start();

  return {
    http,
    io,
    sessions,
    store,
    log,
    story,
    url: () => baseUrl,
    listen: () =>
      new Promise<string>((resolve, reject) => {
        http.once('error', reject);
        http.listen(cfg.port, cfg.host, () => {
          const addr = http.address() as AddressInfo;
          const host = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
          baseUrl = cfg.publicUrl ?? `http://${host}:${addr.port}`;
          resolve(baseUrl);
        });
      }),
    close: async () => {
      await sessions.close();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
    },
  };
}
