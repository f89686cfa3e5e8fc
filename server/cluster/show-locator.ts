/**
 * Lets any hub process serve any venue show (cluster mode), the way session-locator.ts does for
 * sessions. A show lives in one process — the one holding its seats' signal state, its vote window
 * and its screen session — registered in Redis as `owner:show:<id>` (cluster-registry.ts). A
 * request for it that reaches another process is:
 *
 * - HTTP (`/api/shows/:id…`, `/api/reports/shows/:id`): forwarded to the owner over HTTP, marked
 *   `x-frisson-forwarded-by` — operator controls, snapshots, votes and seat tokens are answered by
 *   the process whose show they act on;
 * - a socket on `/operators` or `/screens`: authorised at the edge (operator key, signed show
 *   token), it joins the show's room — the socket.io Redis adapter delivers the owner's `audience`,
 *   `decision`, `vote`, `status`, `control` and `ended` emits to it — and its commands (operator
 *   controls, the screen's `playhead`) are validated at the edge, relayed to the owner with
 *   `serverSideEmit` on the same namespace and acknowledged with the owner's answer (`bind`);
 * - a sensor agent on `/seats`: refused at the handshake with `FRISSON_ERR_SHOW_ELSEWHERE` (batches
 *   are not relayed: the agent keeps them buffered and must connect to the show's owner).
 *
 * When the owner is gone (its node key expired) the first request adopts the show from the Redis
 * store (`ShowManager.resume`): its screen session with the same decisions, media sequence and
 * story position, and its seats.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { SEAT_NAMESPACE } from '../../contracts/wire.js';
import type { TokenPayload } from '../auth/join-token.js';
import { FrissonError } from '../../contracts/errors.js';
import type { ShowManager } from '../show/show-manager.js';
import type { Store } from '../store/store.js';
import type { ClusterRegistry, OwnerInfo } from './cluster-registry.js';
import {
  forwardHttp,
  isForwarded,
  requestOwner,
  serveOwnerRequests,
  wire,
  type AckResult,
  type ServerSideEmitter,
} from './forwarding.js';

export type { AckResult } from './forwarding.js';

const RELAY_EVENT = 'frisson:show-command';
const SHOW_PATH = /^\/api\/(?:reports\/)?shows\/([^/?#]+)/;

interface RelayMessage {
  showId: string;
  event: string;
  payload: unknown;
}

/** Applies a command to a show of this process; null when the show is not here. */
export type ShowCommandApply = (
  showId: string,
  event: string,
  payload: unknown,
) => AckResult | null | Promise<AckResult | null>;

/** What a venue namespace uses for shows served by another process (see `ShowLocator.bind`). */
export interface RemoteShows {
  /**
   * True when another live process owns the show. When nobody does, the show is adopted here
   * first (and this resolves false: it is local now, or unknown).
   */
  isRemote(showId: string): Promise<boolean>;
  /** Relays a validated command to the owner and resolves its acknowledgement. */
  relay(showId: string, event: string, payload: unknown): Promise<AckResult>;
}

/**
 * Resolves when the show is in this process (adopted from the store if need be) or served by
 * another live process; otherwise throws the ShowManager's coded not-found. Used by the `/operators`
 * and `/screens` handshakes; `remote` is absent outside cluster mode.
 */
export async function locateShow(
  shows: Pick<ShowManager, 'get' | 'require'>,
  remote: RemoteShows | undefined,
  showId: string,
): Promise<void> {
  if (shows.get(showId)) return;
  if (remote && (await remote.isRemote(showId).catch(() => false))) return;
  shows.require(showId);
}

/** The cluster hook a venue namespace takes (server/hub/operator-namespace.ts, screen-namespace.ts). */
export interface ShowCluster {
  /**
   * Serves relayed commands for shows of this process on the namespace with `apply` (the
   * namespace's own command handler), and returns the edge side for sockets whose show is
   * elsewhere.
   */
  bind(nsp: ServerSideEmitter, apply: ShowCommandApply): RemoteShows;
}

export interface ShowLocatorOptions {
  shows: ShowManager;
  registry: ClusterRegistry;
  /** Verifies a signed join token (any scope); throws a coded error. */
  verifyToken: (token: unknown) => TokenPayload;
  store: Pick<Store, 'getSession'>;
  log: Logger;
}

export class ShowLocator implements ShowCluster {
  private readonly o: ShowLocatorOptions;

  constructor(opts: ShowLocatorOptions) {
    this.o = opts;
  }

  /** Mount before the show routes. */
  attachHttp(app: Express): void {
    app.use((req, res, next) => void this.onHttp(req, res, next));
  }

  /** Call before the seat intake registers its handshake check on `/seats`. */
  attachSeats(io: Server): void {
    io.of(SEAT_NAMESPACE).use(
      (socket, next) =>
        void this.onSeatHandshake(socket).then(
          () => next(),
          (err: unknown) => {
            const w = err instanceof FrissonError ? err.toWire() : wire('FRISSON_ERR_INTERNAL');
            next(Object.assign(new Error(w.message), { data: w }));
          },
        ),
    );
  }

  /** Adopts the show when nobody serves it; returns the remote owner's URL otherwise. */
  async locate(id: string): Promise<string | null> {
    if (this.o.shows.get(id)) return null;
    const owner = await this.o.registry.remoteOwner(id, 'show');
    if (owner) return owner.url;
    if (await this.o.shows.resume(id)) this.o.log.info({ show: id }, 'adopted show');
    return null;
  }

  /**
   * For SessionLocator's `adopt`: when the unowned session `id` is a show's screen, adopts the
   * show with it (hooks attached before the screen publishes) and resolves true; resolves false
   * for any other session (the caller resumes it on its own).
   */
  async adoptScreen(id: string): Promise<boolean> {
    const rec = await this.o.store.getSession(id);
    if (rec?.kind !== 'show') return false;
    const showId = await this.o.shows.showOfScreen(id);
    if (showId && (await this.o.shows.resume(showId))) {
      this.o.log.info({ show: showId, session: id }, 'adopted show with its screen session');
    }
    return true;
  }

  bind(nsp: ServerSideEmitter, apply: ShowCommandApply): RemoteShows {
    serveOwnerRequests<RelayMessage>(nsp, RELAY_EVENT, (m) =>
      typeof m?.showId === 'string' && typeof m.event === 'string'
        ? apply(m.showId, m.event, m.payload)
        : null,
    );
    return {
      isRemote: (showId) => this.locate(showId).then((url) => url !== null),
      relay: async (showId, event, payload) => {
        const message: RelayMessage = { showId, event, payload };
        const answer = await requestOwner<AckResult>(nsp, RELAY_EVENT, message);
        if (answer) return answer;
        // Nobody answered for it: adopt it here (owner dead) and apply the command locally.
        await this.locate(showId).catch(() => null);
        return (
          (await apply(showId, event, payload)) ?? {
            ok: false,
            error: wire('FRISSON_ERR_SHOW_NOT_FOUND'),
          }
        );
      },
    };
  }

  private async onHttp(req: Request, res: Response, next: NextFunction): Promise<void> {
    const m = SHOW_PATH.exec(req.path);
    if (!m?.[1] || isForwarded(req)) return next();
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return next();
    }
    if (id.length > 128) return next();
    try {
      const url = await this.locate(id);
      if (!url) return next();
      const unreachable = wire('FRISSON_ERR_NOT_FOUND', "the show's hub is unreachable, retry");
      forwardHttp(url, req, res, this.o.registry.nodeId, unreachable);
    } catch (err) {
      // Redis unreachable: serve what this process has.
      this.o.log.warn({ err, show: id }, 'show lookup failed');
      next();
    }
  }

  /**
   * A sensor agent for a show of another live process is refused with a coded error naming the
   * owner's node (its batches stay buffered in the agent); an unowned show is adopted here first.
   * Anything else (bad tokens, local shows, Redis unreachable) is left to the seat intake.
   */
  private async onSeatHandshake(socket: Socket): Promise<void> {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    let showId: string | undefined;
    try {
      const p = this.o.verifyToken(token);
      showId = p.scope === 'show' ? p.id : p.scope === 'seat' ? p.show : undefined;
    } catch {
      return;
    }
    if (!showId || this.o.shows.get(showId)) return;
    let owner: OwnerInfo | null;
    try {
      owner = await this.o.registry.remoteOwner(showId, 'show');
      if (!owner) await this.o.shows.resume(showId);
    } catch {
      return;
    }
    if (!owner) return;
    throw new FrissonError(
      'FRISSON_ERR_SHOW_ELSEWHERE',
      `show ${showId} is served by hub node "${owner.nodeId}": connect the sensor agent to that hub`,
    );
  }
}
