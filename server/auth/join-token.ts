/**
 * Join tokens: HMAC-SHA256 signed, expiring, scoped to one session, one show, or one seat of a
 * show. Wire form `base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, payloadPart))` —
 * the JWS compact idea (RFC 7515) without a header, because there is exactly one algorithm.
 *
 * Verification order matters: the signature is checked first (constant time), so a forged token
 * is always FRISSON_ERR_UNAUTHORIZED, even when its claimed expiry has passed; only a genuine
 * token can be FRISSON_ERR_TOKEN_EXPIRED. Scope checks (FRISSON_ERR_FORBIDDEN) live in
 * `token-access.ts`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { FrissonError } from '../../contracts/errors.js';

export const TokenPayloadSchema = z
  .object({
    scope: z.enum(['session', 'show', 'seat']),
    /** Session id, show id or seat id (by scope). */
    id: z.string().min(1).max(128),
    /** The show a seat token belongs to. */
    show: z.string().min(1).max(128).optional(),
    seat: z.string().min(1).max(128).optional(),
    /** Expiry, seconds since the epoch (JWT `exp` convention, RFC 7519 §4.1.4). */
    exp: z.number().int().nonnegative(),
  })
  .strict();
export type TokenPayload = z.infer<typeof TokenPayloadSchema>;

const MAX_TOKEN_CHARS = 1024;

export interface JoinTokenOptions {
  secret: Buffer;
  /** Default lifetime, seconds. */
  ttlSeconds: number;
  clock?: () => number;
  /**
   * Genuine tokens remembered after their first verification (default 20,000; 0 = none). A home
   * viewer presents the same token on every playlist, subtitle and socket request — several a
   * second — and the HMAC, base64 and schema check were ≈ 3 % of a loaded hub's CPU. Only tokens
   * that passed every check are kept (a forged one is checked in full every time), and the expiry
   * is checked again on every hit, so a remembered token expires exactly when it would have.
   */
  cacheSize?: number;
}

/**
 * @example
 *   const tokens = new JoinTokens({ secret, ttlSeconds: 86_400 });
 *   const t = tokens.sign({ scope: 'show', id: showId });
 *   tokens.verify(t); // → { scope: 'show', id: showId, exp }
 */
export class JoinTokens {
  private readonly secret: Buffer;
  private readonly ttl: number;
  private readonly clock: () => number;
  private readonly verified: LRUCache<string, TokenPayload> | null;

  constructor(opts: JoinTokenOptions) {
    if (opts.secret.length < 16) throw new Error('token secret must be at least 16 bytes');
    this.secret = opts.secret;
    this.ttl = opts.ttlSeconds;
    this.clock = opts.clock ?? Date.now;
    const size = opts.cacheSize ?? 20_000;
    this.verified = size > 0 ? new LRUCache({ max: size }) : null;
  }

  sign(claims: Omit<TokenPayload, 'exp'>, ttlSeconds = this.ttl): string {
    const payload: TokenPayload = {
      ...claims,
      exp: Math.floor(this.clock() / 1000) + Math.max(0, Math.round(ttlSeconds)),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** True when `token` looks like a signed token (legacy opaque tokens have no dot). */
  static isSigned(token: string): boolean {
    return token.includes('.');
  }

  /** Returns the payload of a genuine, unexpired token; throws a coded FrissonError otherwise. */
  verify(token: unknown): TokenPayload {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS) {
      throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    }
    const known = this.verified?.get(token);
    if (known) {
      if (known.exp * 1000 <= this.clock()) throw new FrissonError('FRISSON_ERR_TOKEN_EXPIRED');
      return known;
    }
    const parts = token.split('.');
    const [body, sig] = parts;
    if (parts.length !== 2 || !body || !sig) throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    const expected = this.mac(body);
    const given = Buffer.from(sig, 'base64url');
    // Re-encoding catches non-canonical base64url (trailing bits) that would decode to the same MAC.
    if (
      given.length !== expected.length ||
      given.toString('base64url') !== sig ||
      !timingSafeEqual(given, expected)
    ) {
      throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    }
    const parsed = TokenPayloadSchema.safeParse(json);
    if (!parsed.success) throw new FrissonError('FRISSON_ERR_UNAUTHORIZED');
    if (parsed.data.exp * 1000 <= this.clock()) throw new FrissonError('FRISSON_ERR_TOKEN_EXPIRED');
    // Frozen: every caller of a remembered token gets the same object.
    const payload = Object.freeze(parsed.data);
    this.verified?.set(token, payload);
    return payload;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
