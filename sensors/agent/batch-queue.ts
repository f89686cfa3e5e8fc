/**
 * The agent's outbox: samples are grouped into batches; each batch keeps its sequence number from
 * its first transmission until the hub acknowledges it, so a resend after a reconnect carries the
 * same `seq` and the hub can drop it as a duplicate (exactly-once per batch, in order).
 *
 * Memory is bounded: beyond `maxSamples` buffered samples the oldest batches that are not in
 * flight are dropped and counted (an outage longer than the buffer loses the oldest data first,
 * which the director needs least).
 */
import type { SeatSample } from '../../contracts/wire.js';

export interface Batch {
  /** 0 until first sent. */
  seq: number;
  samples: SeatSample[];
}

export interface BatchQueueOptions {
  /** Samples per batch. Default 500. */
  maxBatch?: number;
  /** Bound on buffered samples (open + sealed batches). Default 200 000. */
  maxSamples?: number;
}

export class BatchQueue {
  private readonly maxBatch: number;
  private readonly maxSamples: number;
  private readonly sealed: Batch[] = [];
  private open: SeatSample[] = [];
  private buffered = 0;
  private droppedSamples = 0;
  private lastSeq = 0;
  /** Total samples ever accepted by add(). */
  produced = 0;
  /** Total samples acknowledged by the hub. */
  delivered = 0;

  constructor(options: BatchQueueOptions = {}) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxSamples = options.maxSamples ?? 200_000;
  }

  get size(): number {
    return this.buffered;
  }

  get dropped(): number {
    return this.droppedSamples;
  }

  /** Highest sequence number assigned so far. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Continues numbering after `cursor` (the hub's last accepted seq), never going backwards. */
  resumeAfter(cursor: number): void {
    if (cursor > this.lastSeq && this.sealed.every((b) => b.seq === 0)) this.lastSeq = cursor;
  }

  add(sample: SeatSample): void {
    this.open.push(sample);
    this.buffered += 1;
    this.produced += 1;
    if (this.open.length >= this.maxBatch) this.seal();
    this.enforceBound();
  }

  /** Closes the open batch (if any) so it can be sent. */
  seal(): void {
    if (this.open.length === 0) return;
    this.sealed.push({ seq: 0, samples: this.open });
    this.open = [];
  }

  /** The oldest unacknowledged batch, numbered on first use. */
  next(): Batch | undefined {
    const b = this.sealed[0];
    if (b && b.seq === 0) b.seq = ++this.lastSeq;
    return b;
  }

  /** Removes every batch with seq ≤ `seq`. */
  ackThrough(seq: number): void {
    while (
      this.sealed.length > 0 &&
      (this.sealed[0]?.seq ?? 0) !== 0 &&
      (this.sealed[0]?.seq ?? 0) <= seq
    ) {
      const b = this.sealed.shift();
      if (!b) break;
      this.buffered -= b.samples.length;
      this.delivered += b.samples.length;
    }
  }

  /** Gives up on the oldest batch (the hub refused it as invalid). */
  discardHead(): void {
    const b = this.sealed.shift();
    if (!b) return;
    this.buffered -= b.samples.length;
    this.droppedSamples += b.samples.length;
  }

  private enforceBound(): void {
    // Never drop sealed[0] once numbered: it may be in flight.
    while (this.buffered > this.maxSamples) {
      const i = (this.sealed[0]?.seq ?? 0) !== 0 ? 1 : 0;
      const victim = this.sealed[i];
      if (!victim) {
        // Only the open batch is left: drop its oldest sample.
        this.open.shift();
        this.buffered -= 1;
        this.droppedSamples += 1;
        continue;
      }
      this.sealed.splice(i, 1);
      this.buffered -= victim.samples.length;
      this.droppedSamples += victim.samples.length;
    }
  }
}
