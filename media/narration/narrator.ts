/**
 * The narrator seam: given what is on screen and how the viewer is responding, produce one line.
 *
 * Two implementations ship: {@link GrammarNarrator} (embedded, deterministic, always available) and
 * {@link LlmNarrator} (any OpenAI-compatible chat-completions server, with the grammar narrator as
 * its fallback). Callers never need to catch: `narrate` always resolves.
 */
import type { SignalSnapshot } from '../../contracts/heart.js';
import type { VariableValue } from '../../contracts/story.js';

/** Where a line came from. `cache` = an earlier LLM line reused for the same (scene, level, state). */
export type NarrationSource = 'grammar' | 'llm' | 'cache';

/** The viewer's state as the narrator sees it (a subset of {@link SignalSnapshot}). */
export interface NarrationViewerState {
  /** Arousal index 0 … 1 relative to the viewer's baseline. */
  arousal: number;
  /** Change of arousal per second; > 0 means the heart is "rising". */
  arousalSlope: number;
  /** Current heart rate in bpm, null when unknown (no contact, not calibrated). */
  heartRate: number | null;
  /** Resting heart rate in bpm, null until calibrated. */
  baselineHeartRate: number | null;
}

/** Everything a narrator may use to write a line for one media segment. */
export interface NarrationRequest {
  story: {
    title: string;
    /** Requested locale (BCP 47), e.g. `en`, `zh-CN`. Resolved against the available grammars. */
    locale: string;
    /** The story's content rating (e.g. `PG-13`); the LLM narrator filters against it. */
    contentRating?: string;
  };
  scene: {
    id: string;
    title: string;
    description: string;
    tags: readonly string[];
    mood?: string;
    /** The scene's narration hooks (grammar symbol names or literal/grammar lines). */
    hooks?: readonly string[];
  };
  /** Level id (`calm` / `tense` / `scare` or author defined) and its intensity 0 … 1. */
  level: { id: string; intensity: number };
  /** Current story variables. */
  variables: Readonly<Record<string, VariableValue>>;
  viewer: NarrationViewerState;
  /** Determinism inputs: the same (seed, sessionId, msn) gives the same grammar line. */
  seed: string | number;
  sessionId: string;
  /** Media sequence number of the segment the line belongs to. */
  msn: number;
}

/** One line of narration. */
export interface NarrationLine {
  text: string;
  /** The locale actually used (after resolution), e.g. `zh-CN`. */
  locale: string;
  source: NarrationSource;
  /** Wall-clock time spent producing the line, milliseconds. */
  latencyMs: number;
}

/** Produces narration lines. Implementations must never reject. */
export interface Narrator {
  /**
   * @example
   * const line = await narrator.narrate(request);
   * track.schedule({ msn, start, duration }, line);
   */
  narrate(req: NarrationRequest): Promise<NarrationLine>;
}

/** Builds the narrator's view of a {@link SignalSnapshot}. */
export function viewerStateFromSnapshot(snapshot: SignalSnapshot): NarrationViewerState {
  return {
    arousal: snapshot.arousal,
    arousalSlope: snapshot.arousalSlope,
    heartRate: snapshot.heartRate,
    baselineHeartRate: snapshot.baselineHeartRate,
  };
}
