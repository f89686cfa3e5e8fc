import assert from 'node:assert/strict';
import type { FrissonError } from '../../../../contracts/errors.js';
import { VoteWindow } from '../../../../server/show/vote-window.js';

function win(options = ['c', 'd', 'e'], defaultOption = 'd'): VoteWindow {
  return new VoteWindow({
    id: 'w',
    branch: 'door',
    options,
    defaultOption,
    opensAt: 0,
    closesAt: 10_000,
  });
}

describe('VoteWindow', () => {
  it('should pick the author default when nobody voted', () => {
    const r = win().close(10_000);
    assert.equal(r.winner, 'd');
    assert.equal(r.rule, 'no-votes-default');
  });

  it('should pick the option with most votes', () => {
    const w = win();
    w.cast('s1', 'c', 1);
    w.cast('s2', 'c', 2);
    w.cast('s3', 'e', 3);
    assert.deepEqual(w.close(5), {
      windowId: 'w',
      branch: 'door',
      winner: 'c',
      rule: 'majority',
      counts: { c: 2, d: 0, e: 1 },
      votes: 3,
      closedAt: 5,
    });
  });

  it('should break a tie in favour of the default when it is tied', () => {
    const w = win();
    w.cast('s1', 'c', 1);
    w.cast('s2', 'd', 1);
    const r = w.close(2);
    assert.equal(r.winner, 'd');
    assert.equal(r.rule, 'tie-default');
  });

  it('should break a tie without the default by the author order', () => {
    const w = win();
    w.cast('s1', 'e', 1);
    w.cast('s2', 'c', 1);
    const r = w.close(2);
    assert.equal(r.winner, 'c');
    assert.equal(r.rule, 'tie-first-listed');
  });

  it('should count only the last vote of a seat', () => {
    const w = win();
    w.cast('s1', 'c', 1);
    w.cast('s1', 'e', 2);
    assert.deepEqual(w.counts(), { c: 0, d: 0, e: 1 });
  });

  it('should refuse votes after closing and unknown options', () => {
    const w = win();
    assert.throws(
      () => w.cast('s1', 'zzz', 1),
      (e: FrissonError) => e.code === 'FRISSON_ERR_INVALID_PAYLOAD',
    );
    assert.throws(
      () => w.cast('s1', 'c', 10_000),
      (e: FrissonError) => e.code === 'FRISSON_ERR_VOTE_CLOSED',
    );
    w.close(3);
    assert.throws(
      () => w.cast('s1', 'c', 4),
      (e: FrissonError) => e.code === 'FRISSON_ERR_VOTE_CLOSED',
    );
  });
});
