/**
 * Per-session glue between the director and the narration subtitle track: for every media segment
 * the playlist writer publishes, decide whether it gets a line (scene start, level change, or
 * `periodSeconds` of silence, never closer than `minGapSeconds`), ask the narrator, and register
 * the segment (with its cue) in the {@link NarrationTrack}.
 *
 * The video playlist never waits for this: call {@link NarrationScheduler.segment} without
 * awaiting it. The subtitle playlist then trails the video playlist by at most the narrator's
 * budget (800 ms by default), which players tolerate; segments are registered strictly in msn order.
 */
import type { NarrationRequest, Narrator } from './narrator.js';
import type { NarrationTrack, ScheduledNarration } from './narration-track.js';
import type { SubtitleSegmentWindow } from './webvtt.js';

export interface NarrationSchedulerOptions {
  narrator: Narrator;
  track: NarrationTrack;
  /** Silence after which a line is due even without a scene or level change. Default 12 s. */
  periodSeconds?: number;
  /** Minimum time between two lines, except at a scene start. Default 6 s. */
  minGapSeconds?: number;
  /** Called with every scheduled cue (e.g. emit it on the session's socket). */
  onLine?: (cue: ScheduledNarration) => void;
}

export type NarrationSegmentWindow = Omit<SubtitleSegmentWindow, 'uri'>;

export class NarrationScheduler {
  private chain: Promise<unknown> = Promise.resolve();
  private lastScene: string | undefined;
  private lastLevel: string | undefined;
  private lastLineAt = -Infinity;
  private destroyed = false;

  constructor(private readonly options: NarrationSchedulerOptions) {}

  /**
   * Registers a published segment; `request` describes what plays in it (omit for silence).
   * Resolves with the cue when the segment got a line. Never rejects.
   * @example
   * void scheduler.segment({ msn, start, duration }, buildRequest(session, scene, level, snapshot, msn));
   */
  segment(
    window: NarrationSegmentWindow,
    request?: NarrationRequest,
  ): Promise<ScheduledNarration | undefined> {
    const due = request !== undefined && this.isDue(window, request);
    if (request) {
      this.lastScene = request.scene.id;
      this.lastLevel = request.level.id;
    }
    if (due) this.lastLineAt = window.start;
    // Narrate concurrently, register in order.
    const line =
      due && request ? this.options.narrator.narrate(request).catch(() => undefined) : undefined;
    const result = this.chain.then(async () => {
      const settled = await line;
      if (this.destroyed) return undefined;
      this.options.track.addSegment(window);
      if (!settled) return undefined;
      const cue = this.options.track.schedule(window.msn, settled);
      if (cue) {
        try {
          this.options.onLine?.(cue);
        } catch {
          // a failing listener must not stop the track
        }
      }
      return cue;
    });
    this.chain = result;
    return result;
  }

  /** Stops registering segments; pending narrations are dropped when they settle. */
  destroy(): void {
    this.destroyed = true;
  }

  private isDue(window: NarrationSegmentWindow, request: NarrationRequest): boolean {
    const since = window.start - this.lastLineAt;
    if (request.scene.id !== this.lastScene) return true;
    if (since < (this.options.minGapSeconds ?? 6)) return false;
    if (request.level.id !== this.lastLevel) return true;
    return since >= (this.options.periodSeconds ?? 12);
  }
}
