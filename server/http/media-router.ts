/**
 * The story's media segments, from memory, with HTTP caching a CDN or reverse proxy can carry.
 *
 * A segment is immutable once packaged, so playlists name it by a **versioned** URL,
 * `/stories/<story>/v-<version>/<uri>`, where `version` is a digest of the package's record of
 * what it wrote (`packager-state.json`, which changes whenever any clip is re-packaged; the manifest
 * when there is none): a new package gets new URLs. Versioned URLs are answered
 * `Cache-Control: public, max-age=31536000, immutable` (RFC 8246); the plain
 * `/stories/<story>/<uri>` (and a stale version) stay valid but are `no-cache`, revalidated by the
 * strong ETag (a digest of the bytes; RFC 9110 §8.8.3, §13.1.2 → 304).
 *
 * Only the segments the manifest lists are served here; everything else under the story (the
 * manifest, renditions' init files) falls through to express.static. Segment bodies are kept in an
 * LRU bounded in bytes (lru-cache): a hot segment costs one read from disk, then no `stat`, `open`,
 * `read`, `close` and no ETag hashing per request — the static path's cost under home load.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';
import { LRUCache } from 'lru-cache';
import type { PackagedStory } from '../../contracts/story.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, no-cache';

const TYPES: Record<string, string> = {
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  aac: 'audio/aac',
  vtt: 'text/vtt',
};

interface CachedSegment {
  body: Buffer;
  etag: string;
  type: string;
}

/** The package's version: a digest of packager-state.json (or manifest.json), 12 hex digits. */
export function mediaVersion(mediaDir: string): string {
  const state = join(mediaDir, 'packager-state.json');
  const file = existsSync(state) ? state : join(mediaDir, 'manifest.json');
  const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** Every segment file a playlist can name (all variants, all renditions). */
function segmentUris(story: PackagedStory): Set<string> {
  const uris = new Set<string>();
  for (const scene of Object.values(story.scenes))
    for (const v of Object.values(scene.variants))
      for (const seg of v.segments) {
        uris.add(seg.uri);
        for (const r of Object.values(seg.renditionUris ?? {})) uris.add(r);
      }
  return uris;
}

export interface MediaRouterOptions {
  story: PackagedStory;
  mediaDir: string;
  version: string;
  /** Bytes of segment bodies kept in memory (default 256 MiB). */
  maxBytes?: number;
}

export function createMediaRouter(opts: MediaRouterOptions): express.Router {
  const router = express.Router();
  const known = segmentUris(opts.story);
  const prefix = `/stories/${encodeURIComponent(opts.story.id)}/`;
  const versioned = `v-${opts.version}/`;
  const cache = new LRUCache<string, CachedSegment>({
    maxSize: opts.maxBytes ?? 256 * 1024 * 1024,
    sizeCalculation: (s) => Math.max(1, s.body.length),
  });
  // One read per segment even when many viewers ask for it at once.
  const loading = new Map<string, Promise<CachedSegment>>();
  let root: Promise<string> | null = null;
  /**
   * Reads a segment only where it really is: no symbolic link is followed (as the static path's
   * guard, story-media-guard.ts); a link answers like a missing file, so the request falls through
   * to the guard's coded 404.
   */
  const readOwn = async (uri: string): Promise<Buffer> => {
    root ??= realpath(opts.mediaDir);
    const real = await root;
    const asked = normalize(join(real, uri));
    if ((await realpath(asked)) !== asked) {
      throw Object.assign(new Error(`${uri} is a link`), { code: 'ENOENT' });
    }
    return readFile(asked);
  };
  const load = (uri: string): Promise<CachedSegment> => {
    const hit = cache.get(uri);
    if (hit) return Promise.resolve(hit);
    let p = loading.get(uri);
    if (!p) {
      p = readOwn(uri)
        .then((body) => {
          const seg: CachedSegment = {
            body,
            etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
            type: TYPES[uri.slice(uri.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
          };
          cache.set(uri, seg);
          return seg;
        })
        .finally(() => loading.delete(uri));
      loading.set(uri, p);
    }
    return p;
  };

  const serve = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!req.path.startsWith(prefix)) return next();
    let rest: string;
    try {
      rest = decodeURIComponent(req.path.slice(prefix.length));
    } catch {
      return next();
    }
    let immutable = false;
    if (rest.startsWith('v-')) {
      const slash = rest.indexOf('/');
      immutable = rest.startsWith(versioned);
      rest = slash > 0 ? rest.slice(slash + 1) : rest;
    }
    if (!known.has(rest)) return next();
    load(rest)
      .then((seg) => {
        res.setHeader('Cache-Control', immutable ? IMMUTABLE : REVALIDATE);
        res.setHeader('ETag', seg.etag);
        const inm = req.headers['if-none-match'];
        if (inm !== undefined && inm.split(/\s*,\s*/).some((t) => t === seg.etag || t === '*')) {
          res.statusCode = 304;
          res.end();
          return;
        }
        res.setHeader('Content-Type', seg.type);
        res.setHeader('Content-Length', seg.body.length);
        res.statusCode = 200;
        res.end(req.method === 'HEAD' ? undefined : seg.body);
      })
      .catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? next() : next(err)));
  };
  router.use(serve);
  return router;
}

/** The URL a playlist writes for segment `uri` of the story (versioned, see above). */
export function segmentUrlFor(storyId: string, version: string): (uri: string) => string {
  const base = `/stories/${encodeURIComponent(storyId)}/v-${version}/`;
  return (uri) => base + uri;
}
