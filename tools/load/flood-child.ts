/**
 * The hostile side of `frisson bench flood`, in its own process so its CPU never counts against
 * the bystander measured by the parent: `sockets` socket.io clients flooding a hub with one kind of
 * abuse until the parent disconnects (issue 22):
 *
 * - `seats`: every socket authenticates on `/seats` with the SAME seat token and sends batches at
 *   `rate` per second;
 * - `viewer`: every socket joins the SAME session and sends samples at `rate` per second;
 * - `frames`: every socket connects unauthenticated and sends a ~1 MB deeply nested frame once a
 *   second (reconnecting when the hub closes it).
 *
 * The offered load is fixed (not paced by acks), so hubs that refuse faster do not get flooded
 * harder: the same attack against main and against a branch.
 *
 * Entry: `fork(flood-child, ['--frisson-flood-child', JSON.stringify(FloodSpec)])`; it sends
 * `{ type: 'flooding', connected }` once its sockets are up.
 */
import { io, type Socket } from 'socket.io-client';

export interface FloodSpec {
  url: string;
  kind: 'seats' | 'viewer' | 'frames';
  sockets: number;
  /** seats: a seat token and its seat id; viewer: a session id and its token. */
  token: string;
  id: string;
  /** Events per second per socket (seats, viewer). */
  rate: number;
}

function open(spec: FloodSpec): Socket {
  const ns = spec.kind === 'seats' ? '/seats' : '';
  const auth =
    spec.kind === 'seats'
      ? { token: spec.token }
      : spec.kind === 'viewer'
        ? { sessionId: spec.id, token: spec.token }
        : {};
  return io(`${spec.url}${ns}`, {
    transports: ['websocket'],
    auth,
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  });
}

/** Sends `perTick` events every 20 ms (`rate` per second) while the socket is connected. */
function pump(
  timers: Set<NodeJS.Timeout>,
  socket: Socket,
  rate: number,
  event: string,
  payload: (n: number) => unknown,
): void {
  let n = 0;
  let owed = 0;
  const timer = setInterval(() => {
    if (!socket.connected) return;
    owed += rate / 50;
    for (; owed >= 1; owed--) socket.emit(event, payload(++n), () => undefined);
  }, 20);
  timers.add(timer);
}

function nested(depth: number, pad: number): unknown[] {
  let v: unknown[] = ['x'.repeat(pad)];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

export function flood(spec: FloodSpec, onUp: (connected: number) => void): () => void {
  const sockets = Array.from({ length: spec.sockets }, () => open(spec));
  const timers = new Set<NodeJS.Timeout>();
  // ~1 MB: 2,000 levels of nesting around a 1 MB string (the 1.8 MB frame, halved).
  const frame = spec.kind === 'frames' ? nested(2000, 1_000_000) : null;
  let up = 0;
  for (const s of sockets) {
    s.on('connect', () => {
      if (++up === spec.sockets) onUp(up);
      if (spec.kind === 'seats') {
        const agentId = `flood-${s.id ?? ''}`;
        pump(timers, s, spec.rate, 'batch', (seq) => ({
          agentId,
          seq,
          samples: [{ seat: spec.id, t: Date.now(), bpm: 70, contact: true }],
        }));
      } else if (spec.kind === 'viewer') {
        pump(timers, s, spec.rate, 'sample', () => ({ bpm: 70 }));
      }
    });
    if (spec.kind === 'frames') {
      timers.add(setInterval(() => void (s.connected && s.emit('sample', frame)), 1000));
    }
  }
  // Frames: not every socket gets through (refused, closed): report after a while anyway.
  const report = setTimeout(() => onUp(up), 5000);
  return () => {
    clearTimeout(report);
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.close();
  };
}

// Child-process entry.
const flag = process.argv.indexOf('--frisson-flood-child');
if (process.send && flag >= 0) {
  const spec = JSON.parse(process.argv[flag + 1] ?? '{}') as FloodSpec;
  let told = false;
  const stop = flood(spec, (connected) => {
    if (told) return;
    told = true;
    process.send?.({ type: 'flooding', connected });
  });
  process.on('disconnect', () => {
    stop();
    process.exit(0);
  });
}
