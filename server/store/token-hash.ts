/**
 * Session bearer tokens at rest: the store keeps `sha256:<64 hex>` of a token, never the token.
 * Tokens carry ≥ 128 bits of entropy (HMAC-signed join tokens, or 24 random bytes for the opaque
 * ones of older records), so one unsalted SHA-256 is enough: nothing can be guessed back from it,
 * and a hash copied out of the database is not itself a token (it would be hashed again).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const TOKEN_HASH_PREFIX = 'sha256:';

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export function isTokenHash(stored: string): boolean {
  return stored.startsWith(TOKEN_HASH_PREFIX) && /^[0-9a-f]{64}$/.test(stored.slice(7));
}

/**
 * The form a store keeps; an already hashed value is returned unchanged (idempotent, so a record
 * read back and written again is not hashed twice).
 *
 * @example
 *   hashToken('abc') // 'sha256:ba7816bf…'
 */
export function hashToken(token: string): string {
  if (isTokenHash(token)) return token;
  return TOKEN_HASH_PREFIX + digest(token).toString('hex');
}

/**
 * Whether `presented` is the token `stored` stands for. `stored` is a hash (`sha256:…`, from the
 * store) or the token itself (a session created by this process). Both sides are compared as
 * 32-byte digests with `timingSafeEqual`: no early exit, no length leak.
 */
export function tokenMatches(stored: string, presented: string): boolean {
  const want = isTokenHash(stored)
    ? Buffer.from(stored.slice(TOKEN_HASH_PREFIX.length), 'hex')
    : digest(stored);
  return timingSafeEqual(want, digest(presented));
}
