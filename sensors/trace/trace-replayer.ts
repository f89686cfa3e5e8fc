/**
 * Replays a parsed trace at real (`speed` 1) or accelerated speed through an injected sender.
 * Timing: sample i is sent at start + (tᵢ − t₀) / speed; `speed: Infinity` sends back to back.
 * Clock and sleep are injected so tests run instantly and deterministically.
 */
import type { TraceSample } from './trace-format.js';

export interface ReplayOptions {
  speed?: number;
  /** Sends one sample; resolves true when the receiver accepted it. */
  send(sample: TraceSample): Promise<boolean>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops the replay early. */
  signal?: AbortSignal;
  onProgress?(sent: number, total: number): void;
}

export interface ReplayReport {
  sent: number;
  accepted: number;
  rejected: number;
  /** Wall time the replay took, ms. */
  elapsedMs: number;
  aborted: boolean;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * @example
 * await replayTrace(trace.samples, { speed: 10, send: (s) => hub.send(s) });
 */
export async function replayTrace(
  samples: readonly TraceSample[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError('speed must be > 0');
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const start = now();
  const t0 = samples[0]?.t ?? 0;
  const pending: Array<Promise<boolean>> = [];
  let sent = 0;
  let aborted = false;
  for (const s of samples) {
    if (options.signal?.aborted) {
      aborted = true;
      break;
    }
    if (Number.isFinite(speed)) {
      const due = start + (s.t - t0) / speed;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
    }
    // Do not wait for each acknowledgement: keep the schedule, count the answers at the end.
    pending.push(options.send(s).catch(() => false));
    sent += 1;
    options.onProgress?.(sent, samples.length);
  }
  const results = await Promise.all(pending);
  const accepted = results.filter(Boolean).length;
  return { sent, accepted, rejected: sent - accepted, elapsedMs: now() - start, aborted };
}
