/**
 * What of a story's `dist/` is public, checked before express.static serves it
 * (docs/operations.md, "What is public"):
 *
 * - media only, by extension: segments (`.ts`, `.m4s`, `.mp4`, `.m4a`, `.aac`), per-clip
 *   playlists (`.m3u8`), subtitles (`.vtt`), images. The film is what players fetch; its bytes are
 *   public to anyone holding a player anyway;
 * - `manifest.json` (the whole scene graph, every branch and ending, build provenance) only to the
 *   operator (`X-Frisson-Operator-Key`: `frisson load` reads it to pace a show), a 404 to anyone
 *   else; never `packager-state.json` (the packager's bookkeeping, source paths) — no client needs
 *   it;
 * - no symbolic link is followed: the file's real path must be the path asked for, inside the
 *   real `dist/`, so a link a story package carries (`dist/x.ts -> /etc/passwd`) serves nothing.
 */
import type { RequestHandler } from 'express';
import { realpath } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { FrissonError } from '../../contracts/errors.js';
import type { OperatorKey } from '../auth/operator-key.js';
import { requestOperatorKey } from './request-auth.js';

const MEDIA_FILE = /\.(?:ts|m4s|mp4|m4a|aac|m3u8|vtt|webvtt|jpg|jpeg|png|webp)$/i;

/** Whether the operator key came with the request (never throws: a refusal is a 404 here). */
function isOperator(key: string, operatorKey: OperatorKey | undefined): boolean {
  try {
    operatorKey?.check(key);
    return operatorKey !== undefined;
  } catch {
    return false;
  }
}

/** Mount at the story's URL prefix, before express.static on the same `mediaDir`. */
export function storyMediaGuard(mediaDir: string, operatorKey?: OperatorKey): RequestHandler {
  let root: Promise<string> | null = null;
  return (req, _res, next) => {
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next(new FrissonError('FRISSON_ERR_NOT_FOUND'));
    }
    const manifest = rel === '/manifest.json' && isOperator(requestOperatorKey(req), operatorKey);
    if ((!MEDIA_FILE.test(rel) && !manifest) || rel.includes('\0')) {
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
