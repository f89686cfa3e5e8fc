/**
 * `--simulate-seats N --rate HZ`: N seats driven by seeded ViewerSimulators, each producing one
 * sample per tick (HZ per seat): the simulated bpm plus any RR intervals completed in that tick.
 * Intensity follows a slow built-in cycle so the stream is not flat.
 */
import type { HeartSample } from '../../contracts/heart.js';
import { samplePopulation, ViewerSimulator } from '../simulator/viewer-simulator.js';

export interface SimulatedSeatsOptions {
  seats: number;
  rateHz: number;
  seed?: number;
  now?: () => number;
  /**
   * Intensity on the screen the seats watch (0–1), e.g. a show's screen session; default: a slow
   * built-in cycle (0 and 0.7, a minute each) so the stream is not flat.
   */
  intensity?: () => number;
  onSample(seat: string, sample: HeartSample): void;
}

export class SimulatedSeats {
  private readonly sims: ViewerSimulator[];
  private readonly ids: string[];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private lastT = 0;

  constructor(private readonly options: SimulatedSeatsOptions) {
    if (!(options.rateHz > 0 && options.rateHz <= 50))
      throw new RangeError('rate must be in (0, 50] Hz');
    this.sims = samplePopulation(options.seed ?? 1, options.seats).map(
      (p) => new ViewerSimulator(p),
    );
    this.ids = this.sims.map((_, i) => `S${String(i + 1).padStart(3, '0')}`);
    this.now = options.now ?? Date.now;
  }

  get seatIds(): readonly string[] {
    return this.ids;
  }

  /** Produces one tick of samples for every seat (the timer calls this). */
  tick(): void {
    const dt = 1 / this.options.rateHz;
    const intensity = this.options.intensity?.() ?? (Math.floor((this.ticks * dt) / 60) % 2) * 0.7;
    this.ticks += 1;
    // Strictly increasing timestamps per seat even if the clock stalls.
    const t = Math.max(this.now(), this.lastT + 1);
    this.lastT = t;
    for (let i = 0; i < this.sims.length; i++) {
      const sim = this.sims[i]!;
      const rr = sim.step(dt, intensity).flatMap((s) => s.rr ?? []);
      const sample: HeartSample = { t, bpm: Math.round(sim.trueHeartRate), contact: true };
      if (rr.length > 0) sample.rr = rr;
      this.options.onSample(this.ids[i]!, sample);
    }
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000 / this.options.rateHz);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
