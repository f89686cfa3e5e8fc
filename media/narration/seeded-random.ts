/**
 * A small deterministic PRNG for narration: FNV-1a hashes the seed parts into 32 bits, mulberry32
 * draws from it. No global state (unlike `tracery-grammar`'s module-level `setRng`), so concurrent
 * sessions cannot disturb each other's sequences.
 */

/** Returns a function yielding uniform numbers in [0, 1), fully determined by `parts`. */
export function createSeededRandom(...parts: ReadonlyArray<string | number>): () => number {
  let state = fnv1a(parts.map(String).join('\u001f'));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
