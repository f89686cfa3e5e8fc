/**
 * Bounded LRU cache of LLM lines keyed by (scene, level, locale, viewer-state bucket), so a
 * repeated situation is narrated without a round trip. Instance state only.
 */
import type { NarrationViewerState } from './narrator.js';

export interface NarrationCacheKeyParts {
  sceneId: string;
  levelId: string;
  locale: string;
  viewer: NarrationViewerState;
}

/** Coarse viewer state: arousal low/mid/high × trend rising/falling/steady. */
export function narrationStateBucket(viewer: NarrationViewerState, slopeThreshold = 0.01): string {
  const a = Number.isFinite(viewer.arousal) ? viewer.arousal : 0;
  const arousal = a < 1 / 3 ? 'low' : a < 2 / 3 ? 'mid' : 'high';
  const s = viewer.arousalSlope;
  const trend = s > slopeThreshold ? 'rising' : s < -slopeThreshold ? 'falling' : 'steady';
  return `${arousal}-${trend}`;
}

export class NarrationCache {
  private readonly entries = new Map<string, string[]>();

  /**
   * @param maxEntries keys kept (least recently used evicted first)
   * @param linesPerKey distinct lines collected per key before the key counts as full
   */
  constructor(
    private readonly maxEntries = 256,
    private readonly linesPerKey = 1,
    private readonly slopeThreshold = 0.01,
  ) {}

  key(parts: NarrationCacheKeyParts): string {
    const bucket = narrationStateBucket(parts.viewer, this.slopeThreshold);
    return [parts.sceneId, parts.levelId, parts.locale, bucket].join('\u001f');
  }

  /** A cached line for `key` once it holds `linesPerKey` lines; `pick` ∈ [0, 1) chooses among them. */
  get(key: string, pick = 0): string | undefined {
    const lines = this.entries.get(key);
    if (!lines || lines.length < this.linesPerKey) return undefined;
    this.entries.delete(key);
    this.entries.set(key, lines);
    return lines[Math.min(lines.length - 1, Math.floor(pick * lines.length))];
  }

  add(key: string, line: string): void {
    const lines = this.entries.get(key) ?? [];
    if (!lines.includes(line) && lines.length < this.linesPerKey) lines.push(line);
    this.entries.delete(key);
    this.entries.set(key, lines);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
