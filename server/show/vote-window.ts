/**
 * A Kinoautomat-style vote window at a branch point: seats vote for one option (a scene) while
 * the window is open; a seat may change its vote until it closes (its last vote counts).
 *
 * Resolution rule (documented in docs/venues.md):
 *   1. no votes at all → the branch's author default;
 *   2. otherwise the option with the most votes;
 *   3. a tie at the top → the author default if it is among the tied options, else the tied option
 *      listed first by the author (story order) — deterministic, never random, so a replayed show
 *      decides the same way.
 */
import { FrissonError } from '../../contracts/errors.js';

export type VoteRule = 'no-votes-default' | 'majority' | 'tie-default' | 'tie-first-listed';

export interface VoteResult {
  windowId: string;
  branch: string;
  winner: string;
  rule: VoteRule;
  counts: Record<string, number>;
  votes: number;
  closedAt: number;
}

export interface VoteWindowInit {
  id: string;
  branch: string;
  prompt?: string;
  /** Scene ids in the author's order. */
  options: string[];
  /** Author default; must be one of the options. */
  defaultOption: string;
  opensAt: number;
  closesAt: number;
}

export class VoteWindow {
  readonly id: string;
  readonly branch: string;
  readonly prompt: string | undefined;
  readonly options: readonly string[];
  readonly defaultOption: string;
  readonly opensAt: number;
  readonly closesAt: number;
  private readonly ballots = new Map<string, string>();
  private closed: VoteResult | null = null;

  constructor(init: VoteWindowInit) {
    if (init.options.length === 0) throw new Error('a vote needs options');
    this.id = init.id;
    this.branch = init.branch;
    this.prompt = init.prompt;
    this.options = [...init.options];
    this.defaultOption = init.options.includes(init.defaultOption)
      ? init.defaultOption
      : (init.options[0] ?? init.defaultOption);
    this.opensAt = init.opensAt;
    this.closesAt = init.closesAt;
  }

  get result(): VoteResult | null {
    return this.closed;
  }

  isOpen(now: number): boolean {
    return this.closed === null && now < this.closesAt;
  }

  /** Records (or changes) a seat's vote. Throws FRISSON_ERR_VOTE_CLOSED / INVALID_PAYLOAD. */
  cast(seat: string, option: string, now: number): void {
    if (!this.isOpen(now)) throw new FrissonError('FRISSON_ERR_VOTE_CLOSED');
    if (!this.options.includes(option)) {
      throw new FrissonError(
        'FRISSON_ERR_INVALID_PAYLOAD',
        `option must be one of ${this.options.join(', ')}`,
      );
    }
    this.ballots.set(seat, option);
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.options) out[o] = 0;
    for (const o of this.ballots.values()) out[o] = (out[o] ?? 0) + 1;
    return out;
  }

  ballotsCast(): Array<{ seat: string; option: string }> {
    return [...this.ballots].map(([seat, option]) => ({ seat, option }));
  }

  /** Closes the window (idempotent) and applies the resolution rule. */
  close(now: number): VoteResult {
    if (this.closed) return this.closed;
    const counts = this.counts();
    const votes = this.ballots.size;
    let winner = this.defaultOption;
    let rule: VoteRule = 'no-votes-default';
    if (votes > 0) {
      const top = Math.max(...this.options.map((o) => counts[o] ?? 0));
      const tied = this.options.filter((o) => (counts[o] ?? 0) === top);
      if (tied.length === 1) {
        winner = tied[0] ?? winner;
        rule = 'majority';
      } else if (tied.includes(this.defaultOption)) {
        rule = 'tie-default';
      } else {
        winner = tied[0] ?? winner;
        rule = 'tie-first-listed';
      }
    }
    this.closed = {
      windowId: this.id,
      branch: this.branch,
      winner,
      rule,
      counts,
      votes,
      closedAt: now,
    };
    return this.closed;
  }
}
