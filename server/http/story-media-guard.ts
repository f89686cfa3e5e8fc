/**
 * What of a story's `dist/` is public, checked before express.static serves it
 * (docs/operations.md, "What is public"):
 *
 * - media only, by extension: segments (`.ts`, `.m4s`, `.mp4`, `.m4a`, `.aac`), per-clip
 *   playlists (`.m3u8`), subtitles (`.vtt`), images. The film is what players fetch; its bytes are
 *   public to anyone holding a player anyway;
 * - not `manifest.json` (the whole scene graph, every branch and ending, build provenance) nor
 *   `packager-state.json` (the packager's bookkeeping, source paths): the server reads them from
 *   disk, no client needs them — a 404 like any missing file;
 * - no symbolic link is followed: the file's real path must be the path asked for, inside the
 *   real `dist/`, so a link a story package carries (`dist/x.ts -> /etc/passwd`) serves nothing.
 */
import type { RequestHandler } from 'express';
import { realpath } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { FrissonError } from '../../contracts/errors.js';

const MEDIA_FILE = /\.(?:ts|m4s|mp4|m4a|aac|m3u8|vtt|webvtt|jpg|jpeg|png|webp)$/i;

/** Mount at the story's URL prefix, before express.static on the same `mediaDir`. */
export function storyMediaGuard(mediaDir: string): RequestHandler {
  let root: Promise<string> | null = null;
  return (req, _res, next) => {
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next(new FrissonError('FRISSON_ERR_NOT_FOUND'));
    }
    if (!MEDIA_FILE.test(rel) || rel.includes('\0')) {
      return next(new FrissonError('FRISSON_ERR_NOT_FOUND'));
    }
    root ??= realpath(mediaDir);
    void root
      .then(async (real) => {
        const asked = normalize(join(real, rel));
        if (!asked.startsWith(real + sep)) throw new FrissonError('FRISSON_ERR_NOT_FOUND');
        // A missing file is serve-static's 404; a link anywhere on the way is ours.
        const found = await realpath(asked).catch(() => asked);
        if (found !== asked) throw new FrissonError('FRISSON_ERR_NOT_FOUND');
      })
      .then(() => next(), next);
  };
}
