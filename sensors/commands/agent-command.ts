/**
 * `frisson agent --hub <url> --token <t> [--map seats.yaml] [--simulate-seats N --rate HZ]`:
 * reads mapped HID seat sensors (or simulated seats) and forwards them to the hub. Prints one JSON
 * status line every `--status-ms` (buffer level, dropped counts) and a final one on SIGINT/SIGTERM,
 * after trying to deliver what is still buffered.
 */
import { hostname } from 'node:os';
import { SensorAgent, type SensorAgentEvent } from '../agent/sensor-agent.js';
import { SimulatedSeats } from '../agent/simulated-seats.js';
import { HidDeviceSource } from '../hid/hid-device-source.js';
import { loadNodeHidBackend, type HidBackend } from '../hid/node-hid-backend.js';
import type { SeatMap } from '../hid/seat-map.js';
import type { CommandOutput } from './command-output.js';

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
  const agent = new SensorAgent({
    hub: opts.hub,
    token: opts.token,
    agentId: opts.agentId ?? `agent-${hostname()}`,
    ...(opts.maxBuffered !== undefined ? { maxBufferedSamples: opts.maxBuffered } : {}),
    onEvent: (e: SensorAgentEvent) => line({ event: e.type, ...e }),
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
      return 1;
    }
    let backend = opts.backend;
    if (!backend) {
      const loaded = await loadNodeHidBackend();
      if (!loaded.success) {
        io.err(`frisson: ${loaded.error.message}\n`);
        return 2;
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
  await stopSignal;
  clearInterval(status);
  await stopSource();
  const final = await agent.stop(opts.drainMs ?? 10_000);
  line({ event: 'final', ...final });
  return final.buffered === 0 ? 0 : 1;
}
