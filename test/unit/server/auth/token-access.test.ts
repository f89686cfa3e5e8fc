import assert from 'node:assert/strict';
import { JoinTokens } from '../../../../server/auth/join-token.js';
import { TokenAccess } from '../../../../server/auth/token-access.js';
import { FrissonError } from '../../../../contracts/errors.js';

// Tokens are signed when mocha loads the file, which may be minutes before these tests run.
const tokens = new JoinTokens({ secret: Buffer.alloc(32, 7), ttlSeconds: 3600 });
const access = new TokenAccess({
  tokens,
  screenSessionOf: (id) => ({ showA: 'screenA', showB: 'screenB' })[id],
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (err) {
    return err instanceof FrissonError ? err.code : 'thrown';
  }
}

describe('TokenAccess', () => {
  const showA = tokens.sign({ scope: 'show', id: 'showA' });
  const seatA1 = tokens.sign({ scope: 'seat', id: 'A1', show: 'showA', seat: 'A1' });
  const session = tokens.sign({ scope: 'session', id: 'sess1' });

  it('should grant a show token its own show and its screen session only', () => {
    assert.equal(
      codeOf(() => access.forShow(showA, 'showA')),
      'none',
    );
    assert.equal(
      codeOf(() => access.forSession(showA, 'screenA')),
      'none',
    );
    assert.equal(
      codeOf(() => access.forShow(showA, 'showB')),
      'FRISSON_ERR_FORBIDDEN',
    );
    assert.equal(
      codeOf(() => access.forSession(showA, 'screenB')),
      'FRISSON_ERR_FORBIDDEN',
    );
  });

  it('should grant a seat token its own seat of its own show only', () => {
    assert.equal(
      codeOf(() => access.forSeat(seatA1, 'showA', 'A1')),
      'none',
    );
    assert.equal(
      codeOf(() => access.forSeat(seatA1, 'showA', 'A2')),
      'FRISSON_ERR_FORBIDDEN',
    );
    assert.equal(
      codeOf(() => access.forSeat(seatA1, 'showB', 'A1')),
      'FRISSON_ERR_FORBIDDEN',
    );
    assert.equal(
      codeOf(() => access.forShow(seatA1, 'showA')),
      'FRISSON_ERR_FORBIDDEN',
    );
    assert.equal(
      codeOf(() => access.forSession(seatA1, 'screenA')),
      'FRISSON_ERR_FORBIDDEN',
    );
  });

  it('should grant a session token its session and nothing of a show', () => {
    assert.equal(
      codeOf(() => access.forSession(session, 'sess1')),
      'none',
    );
    assert.equal(
      codeOf(() => access.forSession(session, 'sess2')),
      'FRISSON_ERR_FORBIDDEN',
    );
    assert.equal(
      codeOf(() => access.forShow(session, 'showA')),
      'FRISSON_ERR_FORBIDDEN',
    );
    assert.equal(
      codeOf(() => access.forSeat(session, 'showA')),
      'FRISSON_ERR_FORBIDDEN',
    );
  });
});
