/**
 * Hex text → bytes for the CLI and fixtures. Accepts `0a1b`, `0A 1B`, `0a:1b`, `0x0a,0x1b`.
 */
import { fail, ok, type ParseResult } from '../contracts/parse-result.js';

export function parseHex(text: string): ParseResult<Uint8Array, 'invalid-hex'> {
  const cleaned = text
    .trim()
    .replace(/0x/gi, '')
    .replace(/[\s,:_-]/g, '');
  if (cleaned.length === 0) return fail('invalid-hex', 'no hex digits given');
  if (!/^[0-9a-fA-F]*$/.test(cleaned)) {
    const bad = /[^0-9a-fA-F]/.exec(cleaned);
    return fail('invalid-hex', `not a hex digit: ${JSON.stringify(bad?.[0] ?? '')}`);
  }
  if (cleaned.length % 2 !== 0) return fail('invalid-hex', 'odd number of hex digits');
  const out = new Uint8Array(cleaned.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(cleaned.slice(2 * i, 2 * i + 2), 16);
  return ok(out);
}

/** Bytes → lower-case hex with spaces, for messages and trace files. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
