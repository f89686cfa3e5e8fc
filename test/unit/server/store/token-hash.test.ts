import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashToken, isTokenHash, tokenMatches } from '../../../../server/store/token-hash.js';

describe('token hashes', () => {
  const token = 'eyJzY29wZSI6InNlc3Npb24ifQ.c2lnbmF0dXJl';
  const hex = createHash('sha256').update(token).digest('hex');

  it('should store sha256:<hex> of a token, once', () => {
    assert.equal(hashToken(token), `sha256:${hex}`);
    assert.equal(hashToken(hashToken(token)), `sha256:${hex}`);
    assert.equal(isTokenHash(`sha256:${hex}`), true);
    assert.equal(isTokenHash('sha256:nothex'), false);
  });

  it('should match a token against its hash or itself, and nothing else', () => {
    assert.equal(tokenMatches(hashToken(token), token), true);
    assert.equal(tokenMatches(token, token), true, 'a session created in this process');
    assert.equal(tokenMatches(hashToken(token), `${token}x`), false);
    assert.equal(tokenMatches(hashToken(token), ''), false);
    // A hash read out of a database is not a token.
    assert.equal(tokenMatches(hashToken(token), hashToken(token)), false);
  });
});
