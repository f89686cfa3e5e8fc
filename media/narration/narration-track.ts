/**
 * One session's narration subtitle rendition: the playlist writer registers each media segment's
 * window as it is published, narration lines are scheduled against the segment they belong to, and
 * the track serves the WebVTT segments and the subtitle media playlist.
 *
 * A cue starts `leadInSeconds` into its segment and lasts the time needed to read (or speak) it,
 * clamped to [minCueSeconds, maxCueSeconds]; a later cue cuts an earlier one short so at most one
 * line is on screen.
 */
import { isCjkLocale } from './narration-locale.js';
import type { NarrationLine } from './narrator.js';
import {
  buildWebVttSegment,
  subtitlePlaylistHead,
  subtitleSegmentLines,
  type SubtitlePlaylistOptions,
  type SubtitleSegmentWindow,
  type TimestampMap,
  type VttCue,
} from './webvtt.js';

export interface NarrationTrackOptions {
  /** URI of the WebVTT segment for an msn, relative to the subtitle playlist (e.g. `n/12.vtt`). */
  segmentUri: (msn: number) => string;
  /**
   * Timestamp map per segment. Default: `LOCAL` = the segment's start on the session timeline,
   * `MPEGTS` = `(clipTime ?? start) × 90 000` (+ `ptsOffsetSeconds`), so each WebVTT segment maps
   * session time onto the PTS of the very clip it is muxed against, across discontinuities.
   */
  timestampMap?: (window: SubtitleSegmentWindow) => TimestampMap;
  /** Added to every PTS (e.g. an encoder's initial offset such as ffmpeg's default 1.4 s). */
  ptsOffsetSeconds?: number;
  /** Segments kept (live sliding window); default unlimited (EVENT playlist). */
  maxSegments?: number;
  leadInSeconds?: number;
  minCueSeconds?: number;
  maxCueSeconds?: number;
  /** Reading speed: characters per second (Latin scripts / CJK). */
  charsPerSecond?: number;
  charsPerSecondCjk?: number;
}

/** A scheduled line: the cue plus what a socket event needs. */
export interface ScheduledNarration extends VttCue {
  msn: number;
  locale: string;
  source: NarrationLine['source'];
}

export class NarrationTrack {
  private readonly windows: SubtitleSegmentWindow[] = [];
  private readonly scheduled: ScheduledNarration[] = [];
  private discontinuitySequence = 0;
  /**
   * The playlist's segment lines, appended as segments are registered (null after the window slid:
   * rebuilt on the next read). A player reloads the subtitle playlist every target duration, so
   * formatting every line again on every change made a long film's reloads O(segments) each.
   */
  private segmentLines: string | null = '';
  private longest = 0;

  constructor(private readonly options: NarrationTrackOptions) {}

  /** Registers a published media segment (same msn, start and duration as the video segment). */
  addSegment(window: Omit<SubtitleSegmentWindow, 'uri'> & { uri?: string }): void {
    const last = this.windows[this.windows.length - 1];
    if (last && window.msn <= last.msn) return; // already known
    const added = { ...window, uri: window.uri ?? this.options.segmentUri(window.msn) };
    this.windows.push(added);
    this.longest = Math.max(this.longest, added.duration);
    if (this.segmentLines !== null) this.segmentLines += subtitleSegmentLines(added);
    const max = this.options.maxSegments ?? Infinity;
    while (this.windows.length > max) {
      this.segmentLines = null;
      const dropped = this.windows.shift();
      if (dropped?.discontinuity) this.discontinuitySequence++;
      const first = this.windows[0];
      if (first) this.prune(first.start);
    }
  }

  /**
   * Schedules `line` in segment `msn` (registered with {@link addSegment}); returns the cue, or
   * undefined when the segment is unknown or the line is empty.
   * @example
   * track.addSegment({ msn, start, duration });
   * const cue = track.schedule(msn, await narrator.narrate(req));
   * if (cue) socket.emit('narration', cue);
   */
  schedule(
    msn: number,
    line: Pick<NarrationLine, 'text' | 'locale' | 'source'>,
  ): ScheduledNarration | undefined {
    const window = this.windowOf(msn);
    const text = line.text.trim();
    if (!window || text.length === 0) return undefined;
    const start = window.start + Math.min(this.options.leadInSeconds ?? 0.25, window.duration / 2);
    const end = start + this.readingSeconds(text, line.locale);
    const previous = this.scheduled[this.scheduled.length - 1];
    if (previous && previous.end > start) previous.end = Math.max(previous.start + 0.1, start);
    const cue: ScheduledNarration = {
      id: `n${msn}`,
      msn,
      start,
      end,
      text,
      locale: line.locale,
      source: line.source,
    };
    this.scheduled.push(cue);
    return cue;
  }

  /** The WebVTT segment for `msn`, or undefined when it is not (or no longer) in the window. */
  segmentVtt(msn: number): string | undefined {
    const window = this.windowOf(msn);
    if (!window) return undefined;
    const pts = (window.clipTime ?? window.start) + (this.options.ptsOffsetSeconds ?? 0);
    const map = this.options.timestampMap?.(window) ?? {
      mpegts: Math.round(pts * 90_000),
      local: window.start,
    };
    return buildWebVttSegment(window, this.scheduled, map);
  }

  /** The subtitle media playlist over the registered segments. */
  playlist(
    options: Omit<SubtitlePlaylistOptions, 'mediaSequence' | 'discontinuitySequence'> = {},
  ): string {
    if (this.segmentLines === null) {
      this.segmentLines = this.windows.map(subtitleSegmentLines).join('');
    }
    return (
      subtitlePlaylistHead(this.windows[0]?.msn ?? 0, this.longest, {
        ...options,
        discontinuitySequence:
          this.discontinuitySequence > 0 ? this.discontinuitySequence : undefined,
      }) +
      this.segmentLines +
      (options.endList ? '#EXT-X-ENDLIST\n' : '')
    );
  }

  /** The registered window of `msn` (msns are consecutive: found by index, not by a search). */
  private windowOf(msn: number): SubtitleSegmentWindow | undefined {
    const first = this.windows[0];
    if (!first) return undefined;
    const w = this.windows[msn - first.msn];
    return w?.msn === msn ? w : this.windows.find((x) => x.msn === msn);
  }

  /** Scheduled cues still inside the window, oldest first. */
  cues(): readonly ScheduledNarration[] {
    return this.scheduled;
  }

  private readingSeconds(text: string, locale: string): number {
    const chars = Array.from(text).length;
    const cps = isCjkLocale(locale)
      ? (this.options.charsPerSecondCjk ?? 5)
      : (this.options.charsPerSecond ?? 14);
    const seconds = 0.6 + chars / cps;
    return Math.min(
      this.options.maxCueSeconds ?? 8,
      Math.max(this.options.minCueSeconds ?? 1.5, seconds),
    );
  }

  private prune(before: number): void {
    while ((this.scheduled[0]?.end ?? Infinity) <= before) this.scheduled.shift();
  }
}
