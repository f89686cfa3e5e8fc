/**
 * Writes socket.io acknowledgements at the end of the current event-loop iteration, all together,
 * instead of one by one as each event is handled — flush consolidation, as Netty's
 * `FlushConsolidationHandler` does for the same reason.
 *
 * Why: every ack is one `writev` to a different socket, and on loopback or a LAN that `writev` also
 * wakes the peer's process. Written one per event, spaced by the handler's work, each write tends to
 * find the peer asleep again and pays a full cross-CPU wake-up (an IPI, and on a VM an exit). Written
 * back to back at the end of the iteration (`setImmediate`, after libuv has handled every socket
 * that was readable), the peer is woken once per burst. Measured on the 2-core VM with 2,000 seats ×
 * 4 Hz (docs/operations.md): the hub's `writev` time fell from 1.7 × the bare socket.io server's to
 * below it.
 *
 * Acks keep their order (one FIFO queue), so one agent's acks stay in sequence as long as all of a
 * handler's replies go through the same coalescer. The delay is the rest of the current iteration:
 * microseconds when idle, at most the time to handle one epoll batch under load.
 *
 * @example
 * const acks = new AckCoalescer();
 * socket.on('batch', (payload, ack) => {
 *   // …validate, process…
 *   acks.send(ack, { ok: true, ackedThrough: seq });
 * });
 */
export class AckCoalescer {
  private readonly fns: Array<(value: unknown) => void> = [];
  private readonly values: unknown[] = [];
  private scheduled = false;
  private readonly flushLater = (): void => this.flush();

  /** Pending acknowledgements (not yet written). */
  get pending(): number {
    return this.fns.length;
  }

  /** Queues `ack(value)`; a client that asked for no ack (`ack` not a function) is skipped. */
  send(ack: unknown, value: unknown): void {
    if (typeof ack !== 'function') return;
    this.fns.push(ack as (value: unknown) => void);
    this.values.push(value);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushLater);
    }
  }

  /** Writes every queued ack now, in order (also what the end-of-iteration callback does). */
  flush(): void {
    this.scheduled = false;
    const { fns, values } = this;
    for (let i = 0; i < fns.length; i++) {
      try {
        fns[i]?.(values[i]);
      } catch {
        // socket.io's ack of a closed socket drops the packet itself; nothing else may stop the rest
      }
    }
    fns.length = 0;
    values.length = 0;
  }
}
