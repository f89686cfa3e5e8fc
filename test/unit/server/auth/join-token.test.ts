import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { JoinTokens } from '../../../../server/auth/join-token.js';
import { FrissonError } from '../../../../contracts/errors.js';

const secret = Buffer.from('0123456789abcdef0123456789abcdef');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FrissonError) return err.code;
    throw err;
  }
  return 'none';
}

describe('JoinTokens', () => {
  let now = 1_700_000_000_000;
  const tokens = new JoinTokens({ secret, ttlSeconds: 60, clock: () => now });

  it('should round-trip a scoped payload with an expiry', () => {
    const tok = tokens.sign({ scope: 'seat', id: 'A1', show: 'show-1', seat: 'A1' });
    const p = tokens.verify(tok);
    assert.deepEqual(p, {
      scope: 'seat',
      id: 'A1',
      show: 'show-1',
      seat: 'A1',
      exp: Math.floor(now / 1000) + 60,
    });
  });

  it('should refuse a token expired by the clock with FRISSON_ERR_TOKEN_EXPIRED', () => {
    const tok = tokens.sign({ scope: 'show', id: 's' });
    now += 61_000;
    assert.equal(
      codeOf(() => tokens.verify(tok)),
      'FRISSON_ERR_TOKEN_EXPIRED',
    );
    now -= 61_000;
  });

  it('should refuse forged, tampered and malformed tokens with FRISSON_ERR_UNAUTHORIZED', () => {
    const tok = tokens.sign({ scope: 'show', id: 'a' });
    const [body, sig] = tok.split('.') as [string, string];
    const otherBody = Buffer.from(JSON.stringify({ scope: 'show', id: 'b', exp: 9e9 })).toString(
      'base64url',
    );
    const wrongKey = createHmac('sha256', 'another secret of length').update(otherBody).digest();
    const cases: unknown[] = [
      `${otherBody}.${sig}`, // payload swapped, signature kept
      `${otherBody}.${wrongKey.toString('base64url')}`, // signed with another secret
      `${body}.${sig.slice(0, -2)}`, // truncated signature
      `${body}.${sig}.extra`,
      `${body}`,
      '',
      'a.b',
      42,
      null,
      'x'.repeat(5000),
    ];
    for (const c of cases)
      assert.equal(
        codeOf(() => tokens.verify(c)),
        'FRISSON_ERR_UNAUTHORIZED',
        String(c).slice(0, 40),
      );
  });

  it('should report a forged token as unauthorized even when its claimed expiry has passed', () => {
    const body = Buffer.from(JSON.stringify({ scope: 'show', id: 'a', exp: 1 })).toString(
      'base64url',
    );
    assert.equal(
      codeOf(() => tokens.verify(`${body}.AAAA`)),
      'FRISSON_ERR_UNAUTHORIZED',
    );
  });

  it('should refuse a genuinely signed payload that does not match the schema', () => {
    const body = Buffer.from(JSON.stringify({ scope: 'admin', id: 'a', exp: 9e9 })).toString(
      'base64url',
    );
    const sig = createHmac('sha256', secret).update(body).digest('base64url');
    assert.equal(
      codeOf(() => tokens.verify(`${body}.${sig}`)),
      'FRISSON_ERR_UNAUTHORIZED',
    );
  });

  describe('verified-token cache', () => {
    it('should expire a remembered token exactly when an unremembered one would', () => {
      let t = 1_700_000_000_000;
      const cached = new JoinTokens({ secret, ttlSeconds: 60, clock: () => t });
      const uncached = new JoinTokens({ secret, ttlSeconds: 60, clock: () => t, cacheSize: 0 });
      const tok = cached.sign({ scope: 'session', id: 'S1' });
      assert.deepEqual(cached.verify(tok), uncached.verify(tok));
      t += 59_000;
      assert.equal(cached.verify(tok).id, 'S1'); // a hit, still valid
      t += 1_000; // exp reached
      assert.equal(
        codeOf(() => cached.verify(tok)),
        'FRISSON_ERR_TOKEN_EXPIRED',
      );
      assert.equal(
        codeOf(() => uncached.verify(tok)),
        'FRISSON_ERR_TOKEN_EXPIRED',
      );
    });

    it('should still refuse a forgery of a remembered token (only exact genuine strings are remembered)', () => {
      const tok = tokens.sign({ scope: 'session', id: 'S2' });
      tokens.verify(tok);
      const [body, sig] = tok.split('.') as [string, string];
      const flipped = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
      assert.equal(
        codeOf(() => tokens.verify(flipped)),
        'FRISSON_ERR_UNAUTHORIZED',
      );
      const otherBody = Buffer.from(
        JSON.stringify({ scope: 'session', id: 'S3', exp: 9e9 }),
      ).toString('base64url');
      assert.equal(
        codeOf(() => tokens.verify(`${otherBody}.${sig}`)),
        'FRISSON_ERR_UNAUTHORIZED',
      );
      // A token signed with another secret never matches a remembered one.
      const other = new JoinTokens({
        secret: Buffer.alloc(32, 7),
        ttlSeconds: 60,
        clock: () => now,
      });
      assert.equal(
        codeOf(() => tokens.verify(other.sign({ scope: 'session', id: 'S2' }))),
        'FRISSON_ERR_UNAUTHORIZED',
      );
    });

    it('should give callers a payload they cannot change for the next caller', () => {
      const tok = tokens.sign({ scope: 'show', id: 'show-9' });
      const p = tokens.verify(tok);
      assert.throws(() => {
        (p as { id: string }).id = 'show-10';
      }, TypeError);
      assert.equal(tokens.verify(tok).id, 'show-9');
    });
  });
});
