/** Loads a binary fixture from test/fixtures/sensors (see its README for each file's origin). */
import { readFileSync } from 'node:fs';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/sensors/${name}`, import.meta.url)));
}

/** Hex string → bytes for inline test vectors. */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(s.trim().split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));
}
