/**
 * Trace files: a recorded sample stream as JSON Lines, so a show can be replayed into a hub,
 * diffed, or used for evaluation.
 *
 * Line 1 is a header: `{"format":"frisson-trace","version":1,"createdAt"?:<epoch ms>,…}`; every
 * further line is one sample `{"t":…,"seat"?:…,"bpm"?:…,"rr"?:[…],"contact"?:…,"eda"?:…}` with
 * non-decreasing `t` (ms). Blank lines are allowed. Malformed files are rejected with the
 * 1-based line number of the first problem.
 */
import { z } from 'zod';
import type { HeartSample } from '../../contracts/heart.js';
import { fail, ok, type ParseResult } from '../../contracts/parse-result.js';

export const TRACE_FORMAT = 'frisson-trace';
export const TRACE_VERSION = 1;

export const TraceHeaderSchema = z
  .object({
    format: z.literal(TRACE_FORMAT),
    version: z.literal(TRACE_VERSION),
    // Optional: a trace converted from an older recording (../shared/physio) has no creation time.
    createdAt: z.number().finite().optional(),
    source: z.string().max(200).optional(),
    note: z.string().max(2000).optional(),
  })
  .passthrough();

const finite = z.number().finite();

export const TraceSampleSchema = z
  .object({
    t: finite.nonnegative(),
    seat: z.string().min(1).max(64).optional(),
    bpm: finite.optional(),
    rr: z.array(finite).max(64).optional(),
    contact: z.boolean().optional(),
    eda: finite.optional(),
  })
  .strict();

export type TraceHeader = z.infer<typeof TraceHeaderSchema>;

/**
 * A labelled stretch of a recording, as a header may carry them in `segments` (the physio traces:
 * `CLIP-1`…, `BIOFEEDBACK-REST`), ms from the trace's time origin.
 */
export const TraceSegmentSchema = z.object({
  name: z.string(),
  startMs: z.number().finite(),
  endMs: z.number().finite(),
});
export type TraceSegment = z.infer<typeof TraceSegmentSchema>;
export type TraceSample = HeartSample & { seat?: string };

export interface Trace {
  header: TraceHeader;
  samples: TraceSample[];
}

const issueText = (e: z.ZodError): string =>
  e.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');

/**
 * Parses a whole trace file.
 *
 * @example
 * const r = parseTrace(readFileSync('show.trace.jsonl', 'utf8'));
 * if (!r.success) console.error(r.error.message); // "line 7: bpm: expected number, …"
 */
export function parseTrace(text: string): ParseResult<Trace, 'invalid-trace'> {
  const lines = text.split(/\r?\n/);
  let header: TraceHeader | null = null;
  const samples: TraceSample[] = [];
  let lastT = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const where = `line ${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      return fail(
        'invalid-trace',
        `${where}: not JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    if (header === null) {
      const h = TraceHeaderSchema.safeParse(json);
      if (!h.success) {
        return fail(
          'invalid-trace',
          `${where}: expected the header {"format":"${TRACE_FORMAT}","version":${TRACE_VERSION},…}: ${issueText(h.error)}`,
        );
      }
      header = h.data;
      continue;
    }
    const s = TraceSampleSchema.safeParse(json);
    if (!s.success) return fail('invalid-trace', `${where}: ${issueText(s.error)}`);
    if (s.data.t < lastT) {
      return fail('invalid-trace', `${where}: t ${s.data.t} goes backwards (previous ${lastT})`);
    }
    lastT = s.data.t;
    samples.push(s.data);
  }
  if (header === null)
    return fail('invalid-trace', 'line 1: empty trace, the header line is missing');
  return ok({ header, samples });
}

/** Serialises one sample as a trace line (no newline). */
export function traceLine(sample: TraceSample): string {
  const o: Record<string, unknown> = { t: sample.t };
  if (sample.seat !== undefined) o.seat = sample.seat;
  if (sample.bpm !== undefined) o.bpm = sample.bpm;
  if (sample.rr !== undefined) o.rr = sample.rr;
  if (sample.contact !== undefined) o.contact = sample.contact;
  if (sample.eda !== undefined) o.eda = sample.eda;
  return JSON.stringify(o);
}
