/**
 * The session's multivariant playlist and its narration subtitle rendition (RFC 8216 §4.3.4.1
 * EXT-X-MEDIA TYPE=SUBTITLES, §3.5 WebVTT with X-TIMESTAMP-MAP). The media playlist itself is
 * served by api-router.ts (it carries the blocking-reload logic).
 */
import express from 'express';
import { subtitleRenditionTag } from '../../media/narration/webvtt.js';
import type { PackagedStory } from '../../contracts/story.js';
import type { NarrationService } from '../session/narration-service.js';
import { answerSubtitlePlaylist, answerSubtitleSegment } from './hot-path.js';
import { requestSession, requestToken } from './request-auth.js';
import type { SessionManager } from '../session/session-manager.js';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', 'zh-CN': '中文（简体）' };

/** Multivariant playlist text for a session (one variant per rendition, narration subtitles). */
export function renderMultivariant(
  story: PackagedStory,
  token: string,
  subtitles: boolean,
): string {
  const t = encodeURIComponent(token);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const locale = story.locales[0] ?? 'en';
  if (subtitles) {
    lines.push(
      subtitleRenditionTag({
        groupId: 'narration',
        name: LANGUAGE_NAMES[locale] ?? locale,
        language: locale,
        uri: `narration.m3u8?token=${t}`,
        default: true,
      }),
    );
  }
  const subs = subtitles ? ',SUBTITLES="narration"' : '';
  const variants =
    story.renditions.length > 0
      ? story.renditions.map((r) => ({
          bandwidth: r.bandwidth,
          resolution: `${r.width}x${r.height}`,
          uri: `playlist.m3u8?token=${t}&rendition=${encodeURIComponent(r.name)}`,
        }))
      : [
          {
            // Rough upper bound for the packaged demo-size stream; players only use it for ABR.
            bandwidth: Math.round(story.width * story.height * story.frameRate * 0.15 + 128_000),
            resolution: `${story.width}x${story.height}`,
            uri: `playlist.m3u8?token=${t}`,
          },
        ];
  for (const v of variants) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},CODECS="${story.codecs}",RESOLUTION=${v.resolution}${subs}`,
      v.uri,
    );
  }
  return lines.join('\n') + '\n';
}

export function createStreamRouter(opts: {
  sessions: SessionManager;
  narration: NarrationService | null;
}): express.Router {
  const router = express.Router();

  router.get('/sessions/:id/master.m3u8', (req, res) => {
    const s = requestSession(opts.sessions, req);
    const token = requestToken(req);
    res
      .type('application/vnd.apple.mpegurl')
      .set('Cache-Control', 'no-cache')
      .send(renderMultivariant(s.story, token, opts.narration?.get(s.id) !== undefined));
  });

  // The same answers as the hot path's (hot-path.ts): requests it declined arrive here.
  router.get('/sessions/:id/narration.m3u8', (req, res) => {
    answerSubtitlePlaylist(req, res, requestSession(opts.sessions, req), opts.narration);
  });

  router.get('/sessions/:id/narration/:msn.vtt', (req, res) => {
    const s = requestSession(opts.sessions, req);
    answerSubtitleSegment(req, res, s, opts.narration, String(req.params.msn));
  });

  return router;
}
