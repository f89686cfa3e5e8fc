/**
 * WebVTT subtitle segments and the HLS subtitle media playlist that lists them.
 *
 * Timeline (RFC 8216 §3.5): each WebVTT segment carries
 * `X-TIMESTAMP-MAP=MPEGTS:<90 kHz PTS>,LOCAL:<cue time>` mapping a cue time to the media's
 * presentation timestamps. Two ways to use it:
 * - continuous video timeline (PTS = ptsOffset + t × 90000): `LOCAL:00:00:00.000`,
 *   `MPEGTS = ptsOffset` and cue times in session media seconds (the default, `local: 0`);
 * - clips whose PTS restart after `EXT-X-DISCONTINUITY`: per segment, `local` = the segment's start
 *   on the session timeline and `mpegts` = the first video PTS of the matching media segment.
 */

/** One cue, times in seconds on the session's media timeline. */
export interface VttCue {
  start: number;
  end: number;
  text: string;
  /** Optional cue identifier (players use it to de-duplicate cues repeated across segments). */
  id?: string;
}

export interface TimestampMap {
  /** 90 kHz MPEG-2 presentation timestamp that corresponds to `local` (wrapped at 2^33). */
  mpegts: number;
  /** Cue time in seconds that corresponds to `mpegts`. Default 0. */
  local?: number;
}

/** One subtitle media segment in the playlist. */
export interface SubtitleSegmentWindow {
  /** Media sequence number (keep it equal to the video segment's). */
  msn: number;
  /** Start on the session timeline and duration, seconds (the matching video segment's). */
  start: number;
  duration: number;
  uri: string;
  /** Emit `EXT-X-DISCONTINUITY` before this segment (mirror the video playlist). */
  discontinuity?: boolean;
  /**
   * Presentation time (seconds, PTS / 90 000) of the matching video segment's first frame in its
   * own media timeline. Frisson's packaged clips restart at PTS 0 after every discontinuity, so
   * this is the segment's offset inside its clip. Not written to the playlist; used for the
   * X-TIMESTAMP-MAP of the segment (default: `start`, i.e. one continuous timeline from PTS 0).
   */
  clipTime?: number;
}

export interface SubtitlePlaylistOptions {
  /** Default: ceil of the longest duration (always ≥ the rounded EXTINF, RFC 8216 §4.3.3.1). */
  targetDuration?: number;
  /** Default: the first window's msn. */
  mediaSequence?: number;
  discontinuitySequence?: number;
  playlistType?: 'EVENT' | 'VOD';
  /** Append `EXT-X-ENDLIST` (the session ended). */
  endList?: boolean;
}

const PTS_WRAP = 2 ** 33;

/**
 * `HH:MM:SS.mmm` (hours always present, as WebVTT allows; more than 99 hours widens the field).
 * @example formatVttTimestamp(3725.5) // '01:02:05.500'
 */
export function formatVttTimestamp(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(Math.floor(totalS / 3600))}:${pad(Math.floor(totalS / 60) % 60)}:${pad(totalS % 60)}.${pad(ms, 3)}`;
}

/**
 * Escapes cue text (WebVTT §4.2.2: `&` and `<` must be escaped, `-->` must not appear) and keeps
 * it on lines that cannot end the cue (a blank line terminates a cue block).
 */
export function escapeVttCueText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/**
 * A complete WebVTT file. With `timestampMap` it is an HLS WebVTT segment.
 * @example
 * buildWebVtt([{ start: 4, end: 6.5, text: 'Don’t turn around.' }], { timestampMap: { mpegts: 900000 } });
 * // WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n00:00:04.000 --> 00:00:06.500\n…
 */
export function buildWebVtt(
  cues: readonly VttCue[],
  options: { timestampMap?: TimestampMap } = {},
): string {
  const header = ['WEBVTT'];
  const map = options.timestampMap;
  if (map) {
    const mpegts = ((Math.round(map.mpegts) % PTS_WRAP) + PTS_WRAP) % PTS_WRAP;
    header.push(`X-TIMESTAMP-MAP=MPEGTS:${mpegts},LOCAL:${formatVttTimestamp(map.local ?? 0)}`);
  }
  const blocks = [header.join('\n')];
  for (const cue of [...cues].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const text = escapeVttCueText(cue.text);
    if (text.length === 0 || !(cue.end > cue.start)) continue;
    const id = cue.id ? `${cue.id.replace(/-->|[\r\n]/g, ' ')}\n` : '';
    blocks.push(
      `${id}${formatVttTimestamp(cue.start)} --> ${formatVttTimestamp(cue.end)}\n${text}`,
    );
  }
  return `${blocks.join('\n\n')}\n`;
}

/**
 * The WebVTT segment for one window: every cue overlapping [start, start + duration), times kept
 * absolute, so a cue spanning two segments appears in both (players merge them by id/time).
 */
export function buildWebVttSegment(
  window: Pick<SubtitleSegmentWindow, 'start' | 'duration'>,
  cues: readonly VttCue[],
  timestampMap: TimestampMap = { mpegts: 0, local: 0 },
): string {
  const end = window.start + window.duration;
  const inWindow = cues.filter((c) => c.start < end && c.end > window.start);
  return buildWebVtt(inWindow, { timestampMap });
}

/**
 * The HLS subtitle media playlist (RFC 8216 §4.3) over the given windows.
 * @example buildSubtitlePlaylist([{ msn: 0, start: 0, duration: 4, uri: 'sub/0.vtt' }], { playlistType: 'EVENT' })
 */
export function buildSubtitlePlaylist(
  windows: readonly SubtitleSegmentWindow[],
  options: SubtitlePlaylistOptions = {},
): string {
  const longest = windows.reduce((m, w) => Math.max(m, w.duration), 0);
  return (
    subtitlePlaylistHead(windows[0]?.msn ?? 0, longest, options) +
    windows.map(subtitleSegmentLines).join('') +
    (options.endList ? '#EXT-X-ENDLIST\n' : '')
  );
}

/**
 * The subtitle playlist's tags before its first segment (what {@link buildSubtitlePlaylist} writes
 * first), for writers that keep the segment lines and only rebuild this head.
 */
export function subtitlePlaylistHead(
  firstMsn: number,
  longestSegment: number,
  options: SubtitlePlaylistOptions = {},
): string {
  const target = options.targetDuration ?? Math.max(1, Math.ceil(longestSegment - 1e-3));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${target}`,
    `#EXT-X-MEDIA-SEQUENCE:${options.mediaSequence ?? firstMsn}`,
  ];
  if (options.discontinuitySequence !== undefined) {
    lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${options.discontinuitySequence}`);
  }
  if (options.playlistType) lines.push(`#EXT-X-PLAYLIST-TYPE:${options.playlistType}`);
  return `${lines.join('\n')}\n`;
}

/** One segment's lines of a subtitle playlist (discontinuity, EXTINF, URI), newline-terminated. */
export function subtitleSegmentLines(w: SubtitleSegmentWindow): string {
  return `${w.discontinuity ? '#EXT-X-DISCONTINUITY\n' : ''}#EXTINF:${w.duration.toFixed(3)},\n${w.uri}\n`;
}

export interface SubtitleRenditionOptions {
  groupId: string;
  name: string;
  /** RFC 5646 tag, e.g. `en`, `zh-CN`. */
  language: string;
  uri: string;
  default?: boolean;
  autoselect?: boolean;
  forced?: boolean;
}

/**
 * The multivariant playlist's `EXT-X-MEDIA:TYPE=SUBTITLES` line (RFC 8216 §4.3.4.1); the variant
 * streams then carry `SUBTITLES="<groupId>"`.
 */
export function subtitleRenditionTag(o: SubtitleRenditionOptions): string {
  const q = (s: string): string => `"${s.replace(/["\r\n]/g, '')}"`;
  const attrs = [
    'TYPE=SUBTITLES',
    `GROUP-ID=${q(o.groupId)}`,
    `NAME=${q(o.name)}`,
    `LANGUAGE=${q(o.language)}`,
    `DEFAULT=${o.default ? 'YES' : 'NO'}`,
    `AUTOSELECT=${(o.autoselect ?? true) ? 'YES' : 'NO'}`,
  ];
  if (o.forced) attrs.push('FORCED=YES');
  attrs.push(`URI=${q(o.uri)}`);
  return `#EXT-X-MEDIA:${attrs.join(',')}`;
}
