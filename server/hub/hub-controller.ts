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
