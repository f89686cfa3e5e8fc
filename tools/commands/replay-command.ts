/** `frisson sensors replay <trace> --hub <url> --session <id> --token <t> [--speed N]`. */
import { readFile } from 'node:fs/promises';
import { HubSampleSender } from '../../sensors/trace/hub-sample-sender.js';
import { parseTrace } from '../../sensors/trace/trace-format.js';
import { replayTrace } from '../../sensors/trace/trace-replayer.js';
import { json, type CommandOutput } from '../command-output.js';

export interface ReplayCommandOptions {
  hub: string;
  session: string;
  token: string;
  speed?: number;
  /** Only replay samples of this seat (venue traces). */
  seat?: string;
}

export async function replayCommand(
  file: string,
  opts: ReplayCommandOptions,
  io: CommandOutput,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const trace = parseTrace(text);
  if (!trace.success) {
    io.err(`${file}: ${trace.error.message}\n`);
    return 1;
  }
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) {
    io.err('--speed must be a positive number\n');
    return 1;
  }
  const samples = opts.seat
    ? trace.data.samples.filter((s) => s.seat === opts.seat)
    : trace.data.samples;
  let hub: HubSampleSender;
  try {
    hub = await HubSampleSender.connect({
      hub: opts.hub,
      sessionId: opts.session,
      token: opts.token,
    });
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const report = await replayTrace(samples, {
      speed,
      send: (s) => hub.send(s),
      signal: ac.signal,
    });
    io.out(json({ ...report, skipped: hub.skipped, errors: Object.fromEntries(hub.errors) }));
    return report.rejected - hub.skipped > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    hub.close();
  }
}
