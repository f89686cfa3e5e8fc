/**
 * `frisson sensors simulate --out <trace> [--viewers N] [--seconds S] [--seed K] [--period P]`:
 * writes a trace of N seeded simulated viewers watching a square wave of intensity (calm for P
 * seconds, intense for P seconds, …). Handy for trying `sensors replay` without hardware.
 */
import { TraceWriter } from '../../sensors/trace/trace-writer.js';
import { samplePopulation, ViewerSimulator } from '../../sensors/simulator/viewer-simulator.js';
import { json, type CommandOutput } from '../command-output.js';

export interface SimulateTraceOptions {
  out: string;
  viewers?: number;
  seconds?: number;
  seed?: number;
  periodS?: number;
}

export async function simulateTraceCommand(
  opts: SimulateTraceOptions,
  io: CommandOutput,
): Promise<number> {
  const viewers = opts.viewers ?? 1;
  const seconds = opts.seconds ?? 300;
  const seed = opts.seed ?? 1;
  const period = opts.periodS ?? 60;
  const sims = samplePopulation(seed, viewers).map((p) => new ViewerSimulator(p));
  const writer = TraceWriter.toFile(opts.out, {
    source: `frisson sensors simulate --viewers ${viewers} --seconds ${seconds} --seed ${seed} --period ${period}`,
  });
  for (let s = 0; s < seconds; s++) {
    const intensity = Math.floor(s / period) % 2 === 1 ? 0.9 : 0;
    sims.forEach((sim, i) => {
      const seat = viewers > 1 ? `V${String(i + 1).padStart(3, '0')}` : undefined;
      for (const sample of sim.step(1, intensity))
        writer.write(seat ? { ...sample, seat } : sample);
    });
  }
  try {
    await writer.close();
  } catch (e) {
    io.err(`cannot write ${opts.out}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  io.out(json({ out: opts.out, samples: writer.written, viewers, seconds }));
  return 0;
}
