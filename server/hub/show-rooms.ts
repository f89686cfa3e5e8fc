/**
 * What the two show namespaces (`/screens`, `/operators`) share as controllers: the handshake
 * middleware (refusing, coded, once unregistered — socket.io cannot remove a middleware), the
 * `connection` listener, and one watcher per show, for the shows that exist and those created
 * later. Each namespace keeps what differs: its handshake, its edge, what it does per socket and
 * which show events it relays to its rooms.
 */
import type { Show } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { closing } from './hub-edge.js';
import { ListenerSet } from './hub-controller.js';

type Next = (err?: Error) => void;

/** The few namespace methods used here (a socket.io Namespace of any event maps). */
export interface ShowRoomsNamespace<S> {
  use(fn: (socket: S, next: Next) => void): unknown;
  on(event: 'connection', fn: (socket: S) => void): unknown;
  off(event: 'connection', fn: (socket: S) => void): unknown;
  disconnectSockets(close?: boolean): void;
}

export interface ShowRoomsOptions<S> {
  nsp: ShowRoomsNamespace<S>;
  shows: ShowManager;
  handshake: (socket: S, next: Next) => void;
  onConnection: (socket: S) => void;
  /** Starts relaying one show's events; returns the remover. */
  watchShow: (show: Show) => () => void;
}

export class ShowRooms<S> {
  private readonly listeners = new ListenerSet();
  private readonly watched = new Map<string, () => void>();
  private listening = false;
  private middleware = false;

  constructor(private readonly o: ShowRoomsOptions<S>) {}

  register(): void {
    if (this.listening) return;
    this.listening = true;
    if (!this.middleware) {
      this.middleware = true;
      this.o.nsp.use((socket, next) =>
        this.listening ? this.o.handshake(socket, next) : next(closing()),
      );
    }
    const onConnection = (socket: S): void => this.o.onConnection(socket);
    const onCreated = (show: Show): void => this.watch(show);
    this.o.nsp.on('connection', onConnection);
    this.o.shows.on('created', onCreated);
    this.listeners.add(() => {
      this.o.nsp.off('connection', onConnection);
      this.o.shows.off('created', onCreated);
    });
    for (const show of this.o.shows.list()) this.watch(show);
  }

  unregister(): void {
    this.listening = false;
    this.listeners.clear();
    for (const off of this.watched.values()) off();
    this.watched.clear();
  }

  destroy(): void {
    this.unregister();
    this.o.nsp.disconnectSockets(true);
  }

  private watch(show: Show): void {
    if (this.watched.has(show.id)) return;
    this.watched.set(show.id, this.o.watchShow(show));
  }
}
