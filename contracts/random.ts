/**
 * The one seeded pseudo-random generator (mulberry32, public domain, Tommy Ettinger): the
 * simulator, the director's exploration, training and narration are deterministic across
 * platforms and Node versions without a dependency. Each instance owns its state: there is no
 * shared generator (unlike `tracery-grammar`'s module-level `setRng`), so concurrent sessions
 * cannot disturb each other's sequences.
 */
export class Prng {
  private state: number;
  /** Cached second Box–Muller deviate (normal() yields pairs). */
  private spare: number | null = null;

  constructor(seed: number) {
    // Force a 32-bit unsigned integer seed; non-integers are hashed by truncation.
    this.state = Math.trunc(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform 32-bit unsigned integer (for deriving child seeds). */
  nextUint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // 1 - next() is in (0, 1], so the log is finite.
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * Returns a function yielding uniform numbers in [0, 1), fully determined by `parts` (FNV-1a hashes
 * them into the 32-bit seed of a `Prng`). Narration seeds it with story, session and segment.
 * @example
 *   const random = createSeededRandom(storyId, sessionId, msn);
 *   const pick = lines[Math.floor(random() * lines.length)];
 */
export function createSeededRandom(...parts: ReadonlyArray<string | number>): () => number {
  const prng = new Prng(fnv1a(parts.map(String).join('\u001f')));
  return () => prng.next();
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
