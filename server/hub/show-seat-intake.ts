/**
 * Connects the sensor agent's `/seats` namespace (server/hub/seat-namespace.ts) to the shows.
 *
 * The agent authenticates with a show token (it speaks for every seat of that show) or a seat token
 * (one seat). The namespace's protocol carries no show id, so the show comes from the socket's
 * verified token only: the namespace scopes each `hello`/`batch` `agentId` of the connection to
 * `<16 hex of sha256(show|seat)>~<agentId>` (`bind`, once per connection). The agent's
 * exactly-once cursor is then kept per show, and `onSamples` learns the show from the connection's
 * binding — never from anything the agent claims. A token for show A can therefore never put
 * samples into show B.
 *
 * What a `batch` ack `{ ok: true, ackedThrough: seq }` covers (seat-namespace.ts, in order, per
 * agent): the batch passed the zod schema and seq was above the agent's cursor; each sample passed
 * the protocol's per-sample check (`seatSampleUsable`, contracts/wire.ts) and `Show.ingest`
 * (server clock stamp, the seat's own signal
 * processor — artifact rejection, baseline — the state whose reading the audience median is taken
 * from when the screen's director decides, on the next segment boundary); then the cursor was
 * advanced. Cursors are served from memory and written behind to the store every second
 * (agent-cursor-cache.ts: at most that last second is processed again after a hub crash).
 */
import { createHash } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import type { TokenAccess } from '../auth/token-access.js';
import { SEAT_NAMESPACE, type SeatSample } from '../../contracts/wire.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import type { HubController } from './hub-controller.js';
import { checkExpiry } from './hub-edge.js';
import type { TokenBucketOptions } from './rate-limiter.js';
import { SeatNamespace, type SeatConnection } from './seat-namespace.js';
import { AgentCursorCache, type CursorStore } from './agent-cursor-cache.js';
import type { ShowManager } from '../show/show-manager.js';

interface Binding {
  showId: string;
  /** Set for a seat-scoped token: only this seat's samples are accepted. */
  seat: string | null;
  /** When the connection's token expires, ms since the epoch: checked on every event. */
  expiresAt: number;
}

export interface ShowSeatIntakeOptions {
  io: Server;
  shows: ShowManager;
  access: TokenAccess;
  store: CursorStore;
  /** Cursor write-behind period, ms (default 1000). */
  cursorFlushMs?: number;
  /** Called with each accepted batch size (metrics). */
  onIngest?: (showId: string, accepted: number, rejected: number) => void;
  /** Token bucket per seat (per show for a show-token agent); none when absent. */
  rate?: TokenBucketOptions;
  /** Told when an agent connection is authorised (admission.ts). */
  onAuthenticated?: (socket: Socket) => void;
  observer?: HubObserver;
  clock?: () => number;
}

const AGENT_ID_MAX = 128;

export class ShowSeatIntake implements HubController {
  readonly namespace = SEAT_NAMESPACE;
  private readonly opts: ShowSeatIntakeOptions;
  private readonly seats: SeatNamespace<Binding>;
  private readonly cursors: AgentCursorCache;

  constructor(opts: ShowSeatIntakeOptions) {
    this.opts = opts;
    this.cursors = new AgentCursorCache({
      store: opts.store,
      ...(opts.cursorFlushMs !== undefined ? { flushMs: opts.cursorFlushMs } : {}),
    });
    const clock = opts.clock ?? Date.now;
    this.seats = new SeatNamespace<Binding>(opts.io, {
      store: this.cursors,
      cursors: this.cursors,
      authorize: (token) => this.authorize(token),
      connect: (socket) => this.bind(socket),
      onSamples: (samples, meta) => this.onSamples(samples, meta.binding),
      ...(opts.rate ? { rate: opts.rate } : {}),
      // The token is checked again on every event: an expired one is refused and disconnected.
      guard: (ctx) => checkExpiry(ctx.binding?.expiresAt, clock()),
      ...(opts.onAuthenticated ? { onAuthenticated: opts.onAuthenticated } : {}),
      ...(opts.observer ? { observer: opts.observer } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  }

  registerListeners(): void {
    this.seats.registerListeners();
  }

  unregisterListeners(): void {
    this.seats.unregisterListeners();
  }

  /** Disconnects the agents and writes the cursors (synchronously with SqliteStore). */
  destroy(): void {
    this.seats.destroy();
    void this.cursors.close();
  }

  private authorize(token: string): boolean {
    const p = this.opts.access.verify(token);
    const showId = p.scope === 'show' ? p.id : p.scope === 'seat' ? p.show : undefined;
    return showId !== undefined && this.opts.shows.get(showId) !== undefined;
  }

  /** The connection's show (and seat) from its verified token; agent ids scoped to them. */
  private bind(socket: Socket): SeatConnection<Binding> | null {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const p = this.opts.access.verify(token);
    let binding: Binding;
    const expiresAt = p.exp * 1000;
    if (p.scope === 'show') binding = { showId: p.id, seat: null, expiresAt };
    else if (p.scope === 'seat' && p.show) binding = { showId: p.show, seat: p.id, expiresAt };
    else return null;
    const prefix = createHash('sha256')
      .update(`${binding.showId}|${binding.seat ?? '*'}`)
      .digest('hex')
      .slice(0, 16);
    return {
      binding,
      scope: (agentId) => `${prefix}~${agentId}`.slice(0, AGENT_ID_MAX),
      // One budget per seat (per show for a show-wide agent), however many sockets it opens.
      rateKey: `seat:${prefix}`,
    };
  }

  private onSamples(samples: SeatSample[], binding: Binding | undefined): void {
    if (!binding) return;
    const show = this.opts.shows.get(binding.showId);
    if (!show) return;
    const mine = binding.seat === null ? samples : samples.filter((s) => s.seat === binding.seat);
    const res = show.ingest(mine);
    this.opts.onIngest?.(binding.showId, res.accepted, res.rejected + samples.length - mine.length);
  }
}
