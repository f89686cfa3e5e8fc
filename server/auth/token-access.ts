/**
 * Scope checks on verified join tokens. A token grants exactly one resource: a session token its
 * session, a show token its show (the show's screen session, its seats through the agent), a seat
 * token one seat of one show. Anything else is FRISSON_ERR_FORBIDDEN — a token for one show can
 * never read or steer another.
 */
import { FrissonError } from '../../contracts/errors.js';
import type { JoinTokens, TokenPayload } from './join-token.js';

export interface TokenAccessOptions {
  tokens: JoinTokens;
  /** The screen session id of a show (undefined for unknown shows). */
  screenSessionOf: (showId: string) => string | undefined;
}

export class TokenAccess {
  private readonly tokens: JoinTokens;
  private readonly screenSessionOf: (showId: string) => string | undefined;

  constructor(opts: TokenAccessOptions) {
    this.tokens = opts.tokens;
    this.screenSessionOf = opts.screenSessionOf;
  }

  verify(token: unknown): TokenPayload {
    return this.tokens.verify(token);
  }

  /** A session token for `sessionId`, or the show token of the show whose screen it is. */
  forSession(token: unknown, sessionId: string): TokenPayload {
    const p = this.tokens.verify(token);
    if (p.scope === 'session' && p.id === sessionId) return p;
    if (p.scope === 'show' && this.screenSessionOf(p.id) === sessionId) return p;
    throw new FrissonError('FRISSON_ERR_FORBIDDEN');
  }

  /** A show token for `showId` (screens, sensor agents). */
  forShow(token: unknown, showId: string): TokenPayload {
    const p = this.tokens.verify(token);
    if (p.scope === 'show' && p.id === showId) return p;
    throw new FrissonError('FRISSON_ERR_FORBIDDEN');
  }

  /** A seat token of `showId` (optionally a given seat), or the show token (an agent speaks for every seat). */
  forSeat(token: unknown, showId: string, seat?: string): TokenPayload {
    const p = this.tokens.verify(token);
    if (p.scope === 'show' && p.id === showId) return p;
    if (p.scope === 'seat' && p.show === showId && (seat === undefined || p.id === seat)) return p;
    throw new FrissonError('FRISSON_ERR_FORBIDDEN');
  }
}
