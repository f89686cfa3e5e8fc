/**
 * The shape every socket.io namespace of the hub takes (hls.js's controller shape): it registers
 * its listeners — namespace middleware, `connection`, the events of the stages it relays — in one
 * `registerListeners()`, removes them in `unregisterListeners()`, and `destroy()` also disconnects
 * its sockets and clears its timers. The server builds them in order and destroys them in reverse
 * (server/app.ts).
 */
export interface HubController {
  /** The namespace it serves (`/`, `/seats`, `/screens`, `/operators`). */
  readonly namespace: string;
  registerListeners(): void;
  unregisterListeners(): void;
  /** Unregisters, disconnects the namespace's sockets, clears its timers. Idempotent. */
  destroy(): void;
}

import type { EventEmitter } from 'node:events';

/**
 * Adds `handlers` (typed by the emitter's event map `T`, given explicitly) to an emitter (a Show,
 * a NarrationService, …); returns the remover.
 *
 * @example
 *   const off = listenAll<ShowEvents>(show, { vote: (v) => emitVote(v), ended: (e) => emitEnded(e) });
 */
export function listenAll<T extends { [K in keyof T]: unknown[] }>(
  emitter: Pick<EventEmitter, 'on' | 'off'>,
  handlers: { [K in keyof T]?: (...args: T[K]) => void },
): () => void {
  const untyped = emitter;
  const entries = Object.entries(handlers) as Array<[string, (...args: unknown[]) => void]>;
  for (const [event, fn] of entries) untyped.on(event, fn);
  return () => {
    for (const [event, fn] of entries) untyped.off(event, fn);
  };
}

/**
 * The removers of listeners a controller added, run together by `unregisterListeners`.
 *
 * @example
 *   const onCreated = (s: Session) => this.watchSession(s);
 *   this.sessions.on('created', onCreated);
 *   this.listeners.add(() => this.sessions.off('created', onCreated));
 */
export class ListenerSet {
  private readonly offs: Array<() => void> = [];

  add(off: () => void): void {
    this.offs.push(off);
  }

  /** Removes every listener added so far (newest first). */
  clear(): void {
    for (const off of this.offs.splice(0).reverse()) off();
  }
}
