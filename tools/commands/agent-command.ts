/**
 * `frisson agent --hub <url> --token <t> [--map seats.yaml] [--simulate-seats N --rate HZ]`:
 * reads mapped HID seat sensors (or simulated seats) and forwards them to the hub. Prints one JSON
 * status line every `--status-ms` (buffer level, dropped counts) and a final one on SIGINT/SIGTERM,
 * after trying to deliver what is still buffered.
 *
 * Exit codes (AGENT_EXIT): 0 stopped with everything delivered; 1 stopped with samples undelivered
 * (or a usage error); 2 HID devices unavailable (no libusb); 3 the hub refused the token — a
 * permanent failure, reported on one stderr line without retrying. Hub outages are not failures:
 * the agent buffers and reconnects until stopped.
 */
import { hostname } from 'node:os';
import { SensorAgent, type SensorAgentEvent } from '../../sensors/agent/sensor-agent.js';
import { SimulatedSeats } from '../../sensors/agent/simulated-seats.js';
import { HidDeviceSource } from '../../sensors/hid/hid-device-source.js';
import { loadNodeHidBackend, type HidBackend } from '../../sensors/hid/node-hid-backend.js';
import type { SeatMap } from '../../sensors/hid/seat-map.js';
import type { CommandOutput } from '../command-output.js';

/** `frisson agent` exit codes (docs/sensors.md). */
export const AGENT_EXIT = {
  delivered: 0,
  undelivered: 1,
  hidUnavailable: 2,
  authRejected: 3,
} as const;

export interface AgentCommandOptions {
  hub: string;
  token: string;
  agentId?: string;
  seatMap?: SeatMap;
  simulateSeats?: number;
  rate?: number;
  seed?: number;
  statusMs?: number;
  drainMs?: number;
  maxBuffered?: number;
  /** HID backend (default: node-hid, loaded lazily); tests inject recorded devices. */
  backend?: HidBackend;
}

export async function agentCommand(
  opts: AgentCommandOptions,
  io: CommandOutput,
  stopSignal: Promise<unknown> = new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  }),
): Promise<number> {
  const line = (o: object): void =>
    io.out(`${JSON.stringify({ at: new Date().toISOString(), ...o })}\n`);
  let onAuthRejected: (e: { code: string; message: string }) => void = () => undefined;
  const authRejected = new Promise<{ code: string; message: string }>((resolve) => {
    onAuthRejected = resolve;
  });
  const agent = new SensorAgent({
    hub: opts.hub,
    token: opts.token,
    agentId: opts.agentId ?? `agent-${hostname()}`,
    ...(opts.maxBuffered !== undefined ? { maxBufferedSamples: opts.maxBuffered } : {}),
    onEvent: (e: SensorAgentEvent) => {
      // The refusal is reported once, on stderr, when the agent has stopped (below).
      if (e.type === 'auth-rejected') onAuthRejected(e);
      else line({ event: e.type, ...e });
    },
  });

  let stopSource: () => Promise<void> | void;
  if (opts.simulateSeats !== undefined) {
    const sim = new SimulatedSeats({
      seats: opts.simulateSeats,
      rateHz: opts.rate ?? 1,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      onSample: (seat, s) => agent.add(seat, s),
    });
    sim.start();
    stopSource = () => sim.stop();
  } else {
    if (!opts.seatMap) {
      io.err('frisson agent needs --map <seats.yaml> or --simulate-seats <n>\n');
      return AGENT_EXIT.undelivered;
    }
    let backend = opts.backend;
    if (!backend) {
      const loaded = await loadNodeHidBackend();
      if (!loaded.success) {
        io.err(`frisson: ${loaded.error.message}\n`);
        return AGENT_EXIT.hidUnavailable;
      }
      backend = loaded.data;
    }
    const src = new HidDeviceSource({
      backend,
      seatMap: opts.seatMap,
      onSample: (seat, s) => agent.add(seat, s),
      onEvent: (e) => line({ event: `hid-${e.type}`, ...e }),
    });
    await src.start();
    stopSource = () => src.stop();
  }

  agent.start();
  const status = setInterval(
    () => line({ event: 'status', ...agent.status() }),
    opts.statusMs ?? 5000,
  );
  const rejection = await Promise.race([stopSignal.then(() => null), authRejected]);
  clearInterval(status);
  await stopSource();
  // Nothing can be delivered after a refusal: no drain.
  const final = await agent.stop(rejection ? 0 : (opts.drainMs ?? 10_000));
  line({
    event: 'final',
    ...final,
    ...(rejection ? { stoppedBy: 'auth-rejected', code: rejection.code } : {}),
  });
  if (rejection) {
    io.err(
      `frisson: the hub at ${opts.hub} refused the agent's token (${rejection.code}: ${rejection.message}); ` +
        'pass a valid show or seat token with --token. Not retrying.\n',
    );
    return AGENT_EXIT.authRejected;
  }
  return final.buffered === 0 ? AGENT_EXIT.delivered : AGENT_EXIT.undelivered;
}
