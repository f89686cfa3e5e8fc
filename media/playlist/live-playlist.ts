/**
 * A per-session live HLS media playlist (RFC 8216) that only ever grows at the live edge.
 *
 * Invariants (checked by test/support/playlist-conformance.ts on every playlist the tests see):
 * - EXT-X-MEDIA-SEQUENCE never goes back; a segment keeps its media sequence number (msn) forever.
 * - EXT-X-DISCONTINUITY precedes every segment whose timestamps do not continue the previous one
 *   (RFC 8216 §4.3.2.3), and EXT-X-DISCONTINUITY-SEQUENCE counts the discontinuities that slid out
 *   of the window (§4.3.3.3), so a client's discontinuity numbering stays consistent.
 * - EXT-X-TARGETDURATION ≥ every EXTINF rounded to the nearest integer (§4.3.3.1); it is fixed when
 *   the playlist is created because it must not change during a live presentation (§6.2.1).
 * - EXT-X-ENDLIST once an ending has been published; nothing is appended after it.
 */

export interface PlaylistSegment {
  /** Media sequence number. */
  msn: number;
  uri: string;
  duration: number;
  /** Timestamps restart at this segment (new clip timeline). */
  discontinuity: boolean;
  /** Free text after the EXTINF comma (scene/level), shown by tools; ignored by players. */
  title: string;
}

export interface LivePlaylistOptions {
  /** EXT-X-TARGETDURATION in whole seconds. */
  targetDuration: number;
  /** Keep at most this many segments (sliding window). 0 = keep all and declare PLAYLIST-TYPE EVENT. */
  windowSize?: number;
  /** Advertise blocking playlist reload (RFC 8216bis §6.2.5.2, `_HLS_msn`). */
  canBlockReload?: boolean;
  /** Hold back (seconds) advertised to the player; defaults to 3 × target duration per RFC 8216bis. */
  holdBack?: number;
}

export class LivePlaylist {
  private readonly segments: PlaylistSegment[] = [];
  private readonly targetDuration: number;
  private readonly windowSize: number;
  private readonly canBlockReload: boolean;
  private readonly holdBack: number | undefined;
  private firstMsn = 0;
  private nextMsn = 0;
  private discontinuitySequence = 0;
  private ended = false;
  private publishedDuration = 0;
  /** renderIncremental: per key, the segment lines rendered so far and how many segments. */
  private readonly bodies = new Map<string, { count: number; text: string }>();

  constructor(opts: LivePlaylistOptions) {
    if (!Number.isInteger(opts.targetDuration) || opts.targetDuration < 1) {
      throw new RangeError(`targetDuration must be a positive integer, got ${opts.targetDuration}`);
    }
    this.targetDuration = opts.targetDuration;
    this.windowSize = opts.windowSize ?? 0;
    this.canBlockReload = opts.canBlockReload ?? true;
    this.holdBack = opts.holdBack;
  }

  /** Restores a playlist after a restart so numbering continues exactly where it was. */
  static restore(
    opts: LivePlaylistOptions,
    segments: PlaylistSegment[],
    ended: boolean,
  ): LivePlaylist {
    const p = new LivePlaylist(opts);
    for (const s of segments) {
      if (s.msn !== p.nextMsn) throw new Error(`restore: gap in media sequence at ${s.msn}`);
      p.append({
        uri: s.uri,
        duration: s.duration,
        discontinuity: s.discontinuity,
        title: s.title,
      });
    }
    if (ended) p.end();
    return p;
  }

  /** Appends a segment at the live edge and returns its media sequence number. */
  append(seg: Omit<PlaylistSegment, 'msn'>): number {
    if (this.ended) throw new Error('playlist has ended');
    if (!(seg.duration > 0) || Math.round(seg.duration) > this.targetDuration) {
      throw new RangeError(
        `segment duration ${seg.duration} exceeds EXT-X-TARGETDURATION ${this.targetDuration}`,
      );
    }
    const msn = this.nextMsn++;
    // The first segment of a playlist never needs a discontinuity tag.
    const discontinuity = seg.discontinuity && this.segments.length > 0;
    this.segments.push({ ...seg, discontinuity, msn });
    this.publishedDuration += seg.duration;
    if (this.windowSize > 0) {
      while (this.segments.length > this.windowSize) {
        const removed = this.segments.shift();
        this.firstMsn++;
        // §4.3.3.3: count the discontinuity tags that left the window with their segment, so every
        // remaining segment keeps the same discontinuity number on every reload.
        if (removed?.discontinuity) this.discontinuitySequence++;
      }
    }
    return msn;
  }

  end(): void {
    this.ended = true;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Msn the next append will get. */
  get nextMediaSequence(): number {
    return this.nextMsn;
  }

  /** Total seconds appended since the session began (window-independent). */
  get duration(): number {
    return this.publishedDuration;
  }

  get lastSegment(): PlaylistSegment | undefined {
    return this.segments[this.segments.length - 1];
  }

  /** Segments in the current window (copies). */
  list(): PlaylistSegment[] {
    return this.segments.map((s) => ({ ...s }));
  }

  /** Whether segment `msn` is already in the playlist (for blocking reload). */
  has(msn: number): boolean {
    return msn < this.nextMsn;
  }

  /**
   * The same text as `render(segmentUrl)`, built incrementally: the segment lines rendered for
   * `key` (one key per distinct `segmentUrl`, e.g. per rendition) are kept and only segments
   * appended since are rendered — a reload costs the header and one string concatenation instead
   * of formatting every segment again. `lines` (optional, shared between playlists of the same
   * story) caches one segment's EXTINF + URI lines by their text key, so a segment many sessions
   * play is formatted once. With a sliding window (windowSize > 0) this is `render`.
   */
  renderIncremental(
    key: string,
    segmentUrl: (uri: string) => string,
    lines?: Map<string, string>,
  ): string {
    if (this.windowSize > 0) return this.render(segmentUrl);
    let done = this.bodies.get(key);
    if (!done) {
      done = { count: 0, text: '' };
      this.bodies.set(key, done);
    }
    for (; done.count < this.segments.length; done.count++) {
      const seg = this.segments[done.count];
      if (!seg) break;
      const lineKey = `${key}\u0000${seg.uri}\u0000${seg.duration}\u0000${seg.title}`;
      let text = lines?.get(lineKey);
      if (text === undefined) {
        text = `#EXTINF:${seg.duration.toFixed(6)},${seg.title}\n${segmentUrl(seg.uri)}\n`;
        lines?.set(lineKey, text);
      }
      done.text += seg.discontinuity ? `#EXT-X-DISCONTINUITY\n${text}` : text;
    }
    return this.header() + done.text + (this.ended ? '#EXT-X-ENDLIST\n' : '');
  }

  private header(): string {
    let h = `#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:${this.targetDuration}\n`;
    if (this.windowSize === 0) h += '#EXT-X-PLAYLIST-TYPE:EVENT\n';
    h += `#EXT-X-MEDIA-SEQUENCE:${this.firstMsn}\n#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySequence}\n`;
    if (this.canBlockReload && !this.ended) {
      const holdBack = this.holdBack ?? 3 * this.targetDuration;
      h += `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=${holdBack.toFixed(3)}\n`;
    }
    return `${h}#EXT-X-INDEPENDENT-SEGMENTS\n`;
  }

  /**
   * Renders the playlist. `segmentUrl` maps a segment's stored uri to the URL the player fetches.
   */
  render(segmentUrl: (uri: string) => string = (u) => u): string {
    const lines = ['#EXTM3U', '#EXT-X-VERSION:6', `#EXT-X-TARGETDURATION:${this.targetDuration}`];
    if (this.windowSize === 0) lines.push('#EXT-X-PLAYLIST-TYPE:EVENT');
    lines.push(`#EXT-X-MEDIA-SEQUENCE:${this.firstMsn}`);
    lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySequence}`);
    if (this.canBlockReload && !this.ended) {
      const holdBack = this.holdBack ?? 3 * this.targetDuration;
      lines.push(`#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=${holdBack.toFixed(3)}`);
    }
    lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
    for (const s of this.segments) {
      // Rendered even on the window's first segment: the sequence above excludes it (see append).
      if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXTINF:${s.duration.toFixed(6)},${s.title}`);
      lines.push(segmentUrl(s.uri));
    }
    if (this.ended) lines.push('#EXT-X-ENDLIST');
    return lines.join('\n') + '\n';
  }
}
