/**
 * Narration for one session: every published segment is registered with the session's WebVTT
 * subtitle track, and the narrator is asked for a line when one is due (scene change, intensity
 * change, long silence). Narration runs beside the publish path, never in it: a slow narrator
 * (LLM) delays only its own cue, never a segment.
 */
import { EventEmitter } from 'node:events';
import { buildNarrationRequest } from '../../media/narration/build-narration-request.js';
import { NarrationScheduler } from '../../media/narration/narration-scheduler.js';
import { NarrationTrack, type ScheduledNarration } from '../../media/narration/narration-track.js';
import type { Narrator } from '../../media/narration/narrator.js';
import type { PlaylistSegment } from '../../media/playlist/live-playlist.js';
import type { NarrationEvent } from '../../contracts/wire.js';
import type { Session } from './session.js';

export interface SessionNarrationEvents {
  line: [cue: NarrationEvent];
}

export class SessionNarration extends EventEmitter<SessionNarrationEvents> {
  private readonly session: Session;
  private readonly track: NarrationTrack;
  private readonly scheduler: NarrationScheduler;
  private readonly locale: string;
  private start = 0;
  private clipTime = 0;
  private lastDuration = 0;
  /** Segments registered so far, and the subtitle playlist text for a version (see playlist()). */
  private registered = 0;
  private cached: { version: string; text: string } | null = null;
  private readonly onPublished: (seg: PlaylistSegment, d: { scene: string; level: string }) => void;

  constructor(opts: {
    session: Session;
    narrator: Narrator;
    locale?: string;
    clock?: () => number;
  }) {
    super();
    this.session = opts.session;
    this.locale = opts.locale ?? opts.session.story.locales[0] ?? 'en';
    const token = encodeURIComponent(opts.session.linkToken);
    this.track = new NarrationTrack({ segmentUri: (msn) => `narration/${msn}.vtt?token=${token}` });
    this.scheduler = new NarrationScheduler({
      narrator: opts.narrator,
      track: this.track,
      onLine: (cue) => this.emit('line', toEvent(cue)),
    });
    const clock = opts.clock ?? Date.now;
    // Segments published before narration attached (restored sessions) get empty windows so the
    // subtitle playlist mirrors the video playlist msn for msn.
    for (const seg of opts.session.segments()) this.register(seg);
    this.onPublished = (seg, d) => {
      const window = this.register(seg);
      const request = buildNarrationRequest({
        story: this.session.story,
        sceneId: d.scene,
        levelId: d.level,
        variables: this.session.storyPosition().variables,
        snapshot: this.session.viewerSnapshot(clock()),
        locale: this.locale,
        seed: this.session.id,
        sessionId: this.session.id,
        msn: seg.msn,
      });
      void this.scheduler.segment(window, request);
    };
    this.session.on('published', this.onPublished);
  }

  /** The subtitle media playlist (EVENT, mirrors the video playlist's msn and discontinuities). */
  playlist(): string {
    // Its text changes only when a segment is registered or the film ends: built once per change,
    // not once per reload (a player polls it every target duration).
    const version = this.playlistVersion();
    if (this.cached?.version !== version) {
      this.cached = {
        version,
        text: this.track.playlist({
          playlistType: 'EVENT',
          endList: this.session.ended,
          targetDuration: this.session.targetDuration,
        }),
      };
    }
    return this.cached.text;
  }

  /** A tag for the subtitle playlist's current text (ETag). */
  playlistVersion(): string {
    return `"${this.session.id}.n${this.registered}${this.session.ended ? 'e' : ''}"`;
  }

  segmentVtt(msn: number): string | undefined {
    return this.track.segmentVtt(msn);
  }

  cues(): readonly ScheduledNarration[] {
    return this.track.cues();
  }

  destroy(): void {
    this.session.off('published', this.onPublished);
    this.scheduler.destroy();
    this.removeAllListeners();
  }

  private register(seg: PlaylistSegment) {
    this.registered++;
    if (seg.discontinuity) this.clipTime = 0;
    else if (seg.msn > 0) this.clipTime += this.lastDuration;
    const window = {
      msn: seg.msn,
      start: this.start,
      duration: seg.duration,
      discontinuity: seg.discontinuity,
      clipTime: this.clipTime,
    };
    this.start += seg.duration;
    this.lastDuration = seg.duration;
    return window;
  }
}

function toEvent(cue: ScheduledNarration): NarrationEvent {
  return {
    id: cue.id ?? `n${cue.msn}`,
    msn: cue.msn,
    start: cue.start,
    end: cue.end,
    text: cue.text,
    locale: cue.locale,
    source: cue.source,
  };
}
