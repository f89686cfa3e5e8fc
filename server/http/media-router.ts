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
import type { IncomingMessage, ServerResponse } from 'node:http';
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

export interface CachedSegment {
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

/** A request for a packaged segment: its uri in the package and whether the URL was versioned. */
export interface SegmentRequest {
  uri: string;
  immutable: boolean;
}

/**
 * The story's segments in memory (the LRU above), shared by the media router and the hot path
 * (hot-path.ts): one read per segment, and one definition of the answer's headers.
 */
export class SegmentStore {
  private readonly known: Set<string>;
  private readonly prefix: string;
  private readonly versioned: string;
  private readonly cache: LRUCache<string, CachedSegment>;
  // One read per segment even when many viewers ask for it at once.
  private readonly loading = new Map<string, Promise<CachedSegment>>();
  private root: Promise<string> | null = null;

  constructor(private readonly opts: MediaRouterOptions) {
    this.known = segmentUris(opts.story);
    this.prefix = `/stories/${encodeURIComponent(opts.story.id)}/`;
    this.versioned = `v-${opts.version}/`;
    this.cache = new LRUCache<string, CachedSegment>({
      maxSize: opts.maxBytes ?? 256 * 1024 * 1024,
      sizeCalculation: (seg) => Math.max(1, seg.body.length),
    });
  }

  /** The segment a URL path names, or undefined when it is not one of the package's segments. */
  match(path: string): SegmentRequest | undefined {
    if (!path.startsWith(this.prefix)) return undefined;
    let rest: string;
    try {
      rest = decodeURIComponent(path.slice(this.prefix.length));
    } catch {
      return undefined;
    }
    let immutable = false;
    if (rest.startsWith('v-')) {
      const slash = rest.indexOf('/');
      immutable = rest.startsWith(this.versioned);
      rest = slash > 0 ? rest.slice(slash + 1) : rest;
    }
    return this.known.has(rest) ? { uri: rest, immutable } : undefined;
  }

  /** The segment if it is in memory now (no read, no promise). */
  peek(uri: string): CachedSegment | undefined {
    return this.cache.get(uri);
  }

  load(uri: string): Promise<CachedSegment> {
    const hit = this.cache.get(uri);
    if (hit) return Promise.resolve(hit);
    let p = this.loading.get(uri);
    if (!p) {
      p = this.readOwn(uri)
        .then((body) => {
          const seg: CachedSegment = {
            body,
            etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
            type: TYPES[uri.slice(uri.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
          };
          this.cache.set(uri, seg);
          return seg;
        })
        .finally(() => this.loading.delete(uri));
      this.loading.set(uri, p);
    }
    return p;
  }

  /** Writes the answer: 304 on a matching If-None-Match, else the bytes (none for HEAD). */
  answer(req: IncomingMessage, res: ServerResponse, seg: CachedSegment, immutable: boolean): void {
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
  }

  /**
   * Reads a segment only where it really is: no symbolic link is followed (as the static path's
   * guard, story-media-guard.ts); a link answers like a missing file, so the request falls through
   * to the guard's coded 404.
   */
  private async readOwn(uri: string): Promise<Buffer> {
    this.root ??= realpath(this.opts.mediaDir);
    const real = await this.root;
    const asked = normalize(join(real, uri));
    if ((await realpath(asked)) !== asked) {
      throw Object.assign(new Error(`${uri} is a link`), { code: 'ENOENT' });
    }
    return readFile(asked);
  }
}

export function createMediaRouter(segments: SegmentStore): express.Router {
  const router = express.Router();
  const serve = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const asked = segments.match(req.path);
    if (!asked) return next();
    segments
      .load(asked.uri)
      .then((seg) => segments.answer(req, res, seg, asked.immutable))
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
