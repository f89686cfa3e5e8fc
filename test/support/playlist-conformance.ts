/**
 * Checks a served media playlist with an independent parser (hls-parser) plus the invariants of
 * RFC 8216 that Frisson promises (media/playlist/live-playlist.ts). `PlaylistHistory` carries what
 * was seen on earlier reloads, so monotonicity is checked across reloads of one session.
 */
import * as HLS from 'hls-parser';
import assert from 'node:assert/strict';

export interface SeenSegment {
  uri: string;
  duration: number;
  discontinuitySequence: number;
}

export class PlaylistHistory {
  lastMediaSequence = -1;
  lastDiscontinuitySequence = -1;
  readonly segments = new Map<number, SeenSegment>();
  ended = false;
}

export interface ParsedPlaylist {
  mediaSequence: number;
  discontinuitySequence: number;
  targetDuration: number;
  endlist: boolean;
  segments: Array<{
    msn: number;
    uri: string;
    duration: number;
    discontinuity: boolean;
    title: string;
  }>;
}

export function checkMediaPlaylist(text: string, history?: PlaylistHistory): ParsedPlaylist {
  const parsed = HLS.parse(text);
  if (parsed.isMasterPlaylist)
    throw new assert.AssertionError({ message: 'expected a media playlist' });
  const pl = parsed;
  assert.ok(pl.targetDuration >= 1, 'EXT-X-TARGETDURATION missing');
  const out: ParsedPlaylist = {
    mediaSequence: pl.mediaSequenceBase ?? 0,
    discontinuitySequence: pl.discontinuitySequenceBase ?? 0,
    targetDuration: pl.targetDuration,
    endlist: pl.endlist,
    segments: [],
  };
  let dseq = out.discontinuitySequence;
  pl.segments.forEach((s, i) => {
    if (s.discontinuity) dseq++;
    const msn = out.mediaSequence + i;
    assert.ok(
      Math.round(s.duration) <= pl.targetDuration,
      `segment ${msn}: EXTINF ${s.duration} rounds above EXT-X-TARGETDURATION ${pl.targetDuration}`,
    );
    assert.ok(s.duration > 0, `segment ${msn}: EXTINF must be positive`);
    out.segments.push({
      msn,
      uri: s.uri,
      duration: s.duration,
      discontinuity: s.discontinuity ?? false,
      title: s.title ?? '',
    });
    if (history) {
      const seen = history.segments.get(msn);
      if (seen) {
        assert.equal(s.uri, seen.uri, `segment ${msn} changed its URI between reloads`);
        assert.equal(
          dseq,
          seen.discontinuitySequence,
          `segment ${msn} changed discontinuity number`,
        );
      } else {
        history.segments.set(msn, {
          uri: s.uri,
          duration: s.duration,
          discontinuitySequence: dseq,
        });
      }
    }
  });
  if (history) {
    assert.ok(
      out.mediaSequence >= history.lastMediaSequence,
      'EXT-X-MEDIA-SEQUENCE went backwards',
    );
    assert.ok(
      out.discontinuitySequence >= history.lastDiscontinuitySequence,
      'EXT-X-DISCONTINUITY-SEQUENCE went backwards',
    );
    assert.ok(!(history.ended && !out.endlist), 'EXT-X-ENDLIST disappeared');
    history.lastMediaSequence = out.mediaSequence;
    history.lastDiscontinuitySequence = out.discontinuitySequence;
    history.ended = out.endlist;
  }
  return out;
}
