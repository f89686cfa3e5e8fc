/**
 * The HMAC secret for join tokens: `FRISSON_SECRET` when set, otherwise 32 random bytes generated
 * once and kept in `<data dir>/token-secret` (mode 0600), so tokens survive a restart the same way
 * sessions do.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SECRET_FILE = 'token-secret';

export function loadTokenSecret(opts: { secret?: string; dbPath: string }): Buffer {
  if (opts.secret) return Buffer.from(opts.secret, 'utf8');
  if (opts.dbPath === ':memory:') return randomBytes(32);
  const file = join(dirname(opts.dbPath), SECRET_FILE);
  try {
    const existing = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (existing.length >= 16) return existing;
  } catch {
    /* not created yet */
  }
  const fresh = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${fresh.toString('base64url')}\n`, { mode: 0o600 });
  return fresh;
}
