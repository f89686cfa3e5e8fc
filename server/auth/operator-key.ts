/**
 * The operator credential (`FRISSON_OPERATOR_KEY`). Compared in constant time. Without a
 * configured key every operator endpoint answers FRISSON_ERR_UNAUTHORIZED: operating a venue is
 * opt-in, never open by default.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { FrissonError } from '../../contracts/errors.js';

export class OperatorKey {
  private readonly digest: Buffer | null;

  constructor(key: string | undefined) {
    this.digest = key ? sha256(key) : null;
  }

  get configured(): boolean {
    return this.digest !== null;
  }

  /** Throws FRISSON_ERR_UNAUTHORIZED unless `given` is the operator key. */
  check(given: unknown): void {
    if (!this.digest || typeof given !== 'string' || given.length === 0 || given.length > 512) {
      throw new FrissonError('FRISSON_ERR_UNAUTHORIZED', 'operator key required');
    }
    // Hashing first gives equal-length buffers, so timingSafeEqual never leaks the key length.
    if (!timingSafeEqual(sha256(given), this.digest)) {
      throw new FrissonError('FRISSON_ERR_UNAUTHORIZED', 'operator key required');
    }
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
