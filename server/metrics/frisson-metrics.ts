/**
 * Prometheus metrics for one server instance (prom-client). Each FrissonServer owns its own
 * `Registry` — never the global default one — so tests can run many servers in one process and
 * each `/metrics` reports only its own instance.
 *
 * Rates (events/s, samples/s) are counters: Prometheus' `rate()` turns them into per-second values.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the hub namespaces report (viewer-hub, screens, operators, seats). */
export interface HubObserver {
  event(namespace: string, event: string): void;
  rateLimited(namespace: string): void;
  stall(): void;
}

export interface MetricsSources {
  sessions: () => number;
  shows: () => number;
  /** Seats in contact per live show. */
  seatsInContact: () => Array<{ show: string; seats: number }>;
  /** Whether the store accepts writes (false while it fails, see server/store/guarded-store.ts). */
  storeUp?: () => boolean;
}

export class FrissonMetrics implements HubObserver {
  readonly registry = new Registry();
  private readonly limited: Counter<'namespace'>;
  private readonly stalls: Counter;
  private readonly decisionLatency: Histogram<'picker'>;
  private readonly fallbacks: Counter<'picker'>;
  /** Inbound events per namespace and event since the last collect (the counter's `collect`). */
  private readonly eventCounts = new Map<string, Map<string, number>>();
  /** Seat samples counted since the last collect (see the counter's `collect`). */
  private readonly seatCounts = { accepted: 0, rejected: 0 };
  private readonly votes: Counter;
  private readonly storeFailures: Counter<'operation' | 'code'>;
  private readonly samplesDropped: Counter;

  /**
   * The instruments exist from construction (the store and the director report into them while
   * the server is assembled); the gauges read `sources` once `watch` is given them, or at once when
   * passed here.
   */
  constructor(sources?: MetricsSources, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Every inbound event of every namespace (seat batches included: thousands per second) is
    // counted in plain integers and handed to prom-client when it collects, like the seat samples.
    const eventCounts = this.eventCounts;
    new Counter<'namespace' | 'event'>({
      name: 'frisson_hub_events_total',
      help: 'Inbound socket events by namespace and event name',
      labelNames: ['namespace', 'event'],
      registers,
      collect() {
        for (const [namespace, byEvent] of eventCounts) {
          for (const [event, n] of byEvent) if (n > 0) this.inc({ namespace, event }, n);
          byEvent.clear();
        }
      },
    });
    this.limited = new Counter({
      name: 'frisson_hub_rate_limited_total',
      help: 'Socket events refused by the per-socket rate limit',
      labelNames: ['namespace'],
      registers,
    });
    this.stalls = new Counter({
      name: 'frisson_player_stalls_total',
      help: 'Stalls reported by players (playhead stalled: true)',
      registers,
    });
    this.decisionLatency = new Histogram({
      name: 'frisson_decision_latency_seconds',
      help: 'Director decision latency (picker under deadline, fallback included)',
      labelNames: ['picker'],
      // Decisions are budgeted in milliseconds (FRISSON_DEADLINE_MS, default 5 ms).
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'frisson_decision_fallbacks_total',
      help: 'Decisions answered by the fallback picker (primary slow, failed or invalid)',
      labelNames: ['picker'],
      registers,
    });
    // Seat samples arrive at thousands per second: counted in plain integers on the hot path and
    // handed to prom-client when it collects (a labelled `inc` hashes its labels on every call).
    const seatCounts = this.seatCounts;
    new Counter<'result'>({
      name: 'frisson_seat_samples_total',
      help: 'Seat samples received from sensor agents',
      labelNames: ['result'],
      registers,
      collect() {
        if (seatCounts.accepted > 0) this.inc({ result: 'accepted' }, seatCounts.accepted);
        if (seatCounts.rejected > 0) this.inc({ result: 'rejected' }, seatCounts.rejected);
        seatCounts.accepted = 0;
        seatCounts.rejected = 0;
      },
    });
    this.votes = new Counter({
      name: 'frisson_votes_total',
      help: 'Votes cast by seats',
      registers,
    });
    this.storeFailures = new Counter({
      name: 'frisson_store_failures_total',
      help: 'Store operations refused by the database (disk full, I/O error, …), by operation and SQLite code',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.samplesDropped = new Counter({
      name: 'frisson_samples_dropped_total',
      help: 'Unsaved samples dropped because the store failed longer than the in-memory queue lasts',
      registers,
    });
    if (sources) this.watch(sources);
  }

  /** Registers the gauges of the live state (`sources`); once. */
  watch(sources: MetricsSources): void {
    const registers = [this.registry];
    const storeUp = sources.storeUp;
    new Gauge({
      name: 'frisson_store_up',
      help: '1 while the store accepts writes, 0 while it fails',
      registers,
      collect() {
        this.set(storeUp === undefined || storeUp() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'frisson_sessions',
      help: 'Live sessions (home viewers and show screens)',
      registers,
      collect() {
        this.set(sources.sessions());
      },
    });
    new Gauge({
      name: 'frisson_shows',
      help: 'Live venue shows',
      registers,
      collect() {
        this.set(sources.shows());
      },
    });
    new Gauge({
      name: 'frisson_seats_in_contact',
      // One total, not a series per show: /metrics must not list the ids of live shows.
      help: 'Seats in contact and calibrated, over all live shows',
      registers,
      collect() {
        this.set(sources.seatsInContact().reduce((n, s) => n + s.seats, 0));
      },
    });
  }

  event(namespace: string, event: string): void {
    let byEvent = this.eventCounts.get(namespace);
    if (!byEvent) this.eventCounts.set(namespace, (byEvent = new Map<string, number>()));
    byEvent.set(event, (byEvent.get(event) ?? 0) + 1);
  }

  rateLimited(namespace: string): void {
    this.limited.inc({ namespace });
  }

  stall(): void {
    this.stalls.inc();
  }

  decision(picker: string, latencyMs: number, fallback: boolean): void {
    this.decisionLatency.observe({ picker }, latencyMs / 1000);
    if (fallback) this.fallbacks.inc({ picker });
  }

  seatBatch(accepted: number, rejected: number): void {
    this.seatCounts.accepted += accepted;
    this.seatCounts.rejected += rejected;
  }

  vote(): void {
    this.votes.inc();
  }

  storeFailure(operation: string, code: string): void {
    this.storeFailures.inc({ operation, code });
  }

  samplesDroppedBy(n: number): void {
    this.samplesDropped.inc(n);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
