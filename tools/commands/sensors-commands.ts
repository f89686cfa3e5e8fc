/**
 * Commands of the sensors stage: `frisson sensors list|decode-ble|decode-hid|replay|simulate`,
 * `frisson agent` (the library is sensors/agent) and `frisson bench signal` (tools/bench). Each
 * action lives in its own file beside this one and returns an exit code; this file only declares
 * options.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { agentCommand } from './agent-command.js';
import { registerComparePhysio } from './compare-physio-command.js';
import { benchSignalCommand } from '../bench/bench-signal-command.js';
import { processOutput, type CommandOutput } from '../command-output.js';
import { decodeBleCommand } from './decode-ble-command.js';
import { decodeHidCommand } from './decode-hid-command.js';
import { listDevicesCommand } from './list-devices-command.js';
import { replayCommand } from './replay-command.js';
import { simulateTraceCommand } from './simulate-trace-command.js';
import { parseSeatMap, type SeatMap } from '../../sensors/hid/seat-map.js';

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Loads a seat-map file or throws an Error whose message names the file and problem. */
export function loadSeatMapFile(path: string): SeatMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read seat map ${path}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  const r = parseSeatMap(text);
  if (!r.success) throw new Error(`seat map ${path}: ${r.error.message}`);
  return r.data;
}

/** Registers `frisson sensors …`, `frisson agent` and `frisson bench signal`. */
export function registerSensorsCommands(
  program: Command,
  bench: Command,
  io: CommandOutput = processOutput,
): void {
  const setExit = (code: number): void => {
    if (code !== 0) process.exitCode = code;
  };
  const sensors = program
    .command('sensors')
    .description('heart-rate devices: list, decode frames, replay traces');

  sensors
    .command('list')
    .description('list HID devices and whether they carry heart rate')
    .option('--json', 'print JSON')
    .option('--map <seats.yaml>', 'seat map for vendor-defined seat sensors')
    .action(async (o: { json?: boolean; map?: string }) => {
      const seatMap = o.map ? loadSeatMapFile(o.map) : undefined;
      setExit(
        await listDevicesCommand({ json: o.json ?? false, ...(seatMap ? { seatMap } : {}) }, io),
      );
    });

  sensors
    .command('decode-ble')
    .description('decode a BLE Heart Rate Measurement (0x2A37) frame given in hex; JSON out')
    .argument('<hex>', 'frame bytes, e.g. "16 3f 5a 03"')
    .action((hex: string) => setExit(decodeBleCommand(hex, io)));

  sensors
    .command('decode-hid')
    .description('decode HID heart-rate input reports with a report descriptor; JSON out')
    .requiredOption('--descriptor <hex>', 'report descriptor bytes in hex')
    .argument('[reports...]', 'input reports in hex (with the report-ID byte when ids are used)')
    .action((reports: string[], o: { descriptor: string }) =>
      setExit(decodeHidCommand(o.descriptor, reports, io)),
    );

  sensors
    .command('replay')
    .description('replay a recorded trace file into a hub as a viewer')
    .argument('<trace>', 'trace file (JSON Lines, header line first)')
    .requiredOption('--hub <url>', 'hub base URL, e.g. http://localhost:8080')
    .requiredOption('--session <id>', 'session id to send the samples to')
    .requiredOption('--token <token>', 'session token')
    .option('--speed <n>', 'replay speed factor (1 = real time)', positiveNumber, 1)
    .option('--seat <id>', 'only replay this seat of a venue trace')
    .action(
      async (
        file: string,
        o: { hub: string; session: string; token: string; speed: number; seat?: string },
      ) => {
        setExit(await replayCommand(file, o, io));
      },
    );

  sensors
    .command('simulate')
    .description('write a trace of seeded simulated viewers (square-wave intensity)')
    .requiredOption('--out <trace>', 'trace file to write')
    .option(
      '--viewers <n>',
      'number of viewers (seat ids V001… when more than one)',
      positiveInt,
      1,
    )
    .option('--seconds <n>', 'duration', positiveInt, 300)
    .option('--seed <n>', 'population seed', positiveInt, 1)
    .option('--period <s>', 'seconds calm, then seconds intense, …', positiveInt, 60)
    .action(
      async (o: {
        out: string;
        viewers: number;
        seconds: number;
        seed: number;
        period: number;
      }) => {
        setExit(
          await simulateTraceCommand(
            { out: o.out, viewers: o.viewers, seconds: o.seconds, seed: o.seed, periodS: o.period },
            io,
          ),
        );
      },
    );

  registerComparePhysio(sensors, setExit, io);

  program
    .command('agent')
    .description('venue sensor agent: forward mapped HID seats (or simulated seats) to a hub')
    .requiredOption('--hub <url>', 'hub base URL, e.g. http://hub.local:8080')
    .requiredOption('--token <token>', 'seat or show token accepted by the hub')
    .option('--map <seats.yaml>', 'seat map for vendor-defined HID seat sensors')
    .option('--simulate-seats <n>', 'simulate n seats instead of reading HID devices', positiveInt)
    .option('--rate <hz>', 'samples per second per simulated seat', positiveNumber, 1)
    .option('--seed <n>', 'seed of the simulated audience', positiveInt)
    .option('--agent-id <id>', 'stable agent id (default agent-<hostname>)')
    .option('--status-ms <ms>', 'status line interval', positiveInt, 5000)
    .option('--max-buffered <n>', 'samples buffered while the hub is away', positiveInt, 200_000)
    .addHelpText(
      'after',
      '\nExit codes: 0 stopped with everything delivered, 1 stopped with samples undelivered,\n' +
        '2 HID devices unavailable (install libusb-1.0-0 libudev1), 3 the hub refused the token\n' +
        '(not retried). Hub outages are not exits: the agent buffers and reconnects.\n',
    )
    .action(
      async (o: {
        hub: string;
        token: string;
        map?: string;
        simulateSeats?: number;
        rate: number;
        seed?: number;
        agentId?: string;
        statusMs: number;
        maxBuffered: number;
      }) => {
        const seatMap = o.map ? loadSeatMapFile(o.map) : undefined;
        const code = await agentCommand(
          {
            hub: o.hub,
            token: o.token,
            rate: o.rate,
            statusMs: o.statusMs,
            maxBuffered: o.maxBuffered,
            ...(seatMap ? { seatMap } : {}),
            ...(o.simulateSeats !== undefined ? { simulateSeats: o.simulateSeats } : {}),
            ...(o.seed !== undefined ? { seed: o.seed } : {}),
            ...(o.agentId !== undefined ? { agentId: o.agentId } : {}),
          },
          io,
        );
        setExit(code);
      },
    );

  bench
    .command('signal')
    .description('signal-stage cost: µs per sample for push() and per snapshot()')
    .option('--json', 'print JSON only')
    .option('--viewers <n>', 'simulated viewers', positiveInt, 200)
    .option('--seconds <n>', 'seconds of signal per viewer', positiveInt, 600)
    .action((o: { json?: boolean; viewers: number; seconds: number }) =>
      setExit(benchSignalCommand(o, io)),
    );
}
