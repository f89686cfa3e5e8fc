import assert from 'node:assert/strict';
import { ContentFilter, ratingTier } from '../../../../media/narration/content-filter.js';

describe('ContentFilter', () => {
  it('should map rating labels to tiers, unknown ones to G', () => {
    assert.equal(ratingTier('pg-13'), 'PG-13');
    assert.equal(ratingTier('TV-MA'), 'R');
    assert.equal(ratingTier('TV-PG'), 'PG');
    assert.equal(ratingTier('nonsense'), 'G');
    assert.equal(ratingTier(undefined), 'G');
  });

  it('should block terms above the rating and allow them at or above it', () => {
    const line = 'There is blood on the seat.';
    assert.deepEqual(new ContentFilter('G').check(line), { ok: false, term: 'blood' });
    assert.deepEqual(new ContentFilter('PG').check(line), { ok: true });
    const gory = 'Its entrails hang from the balcony.';
    assert.equal(new ContentFilter('PG').check(gory).ok, false);
    assert.equal(new ContentFilter('PG-13').check(gory).ok, true);
    const profane = 'What the fucking hell was that?';
    assert.deepEqual(new ContentFilter('PG-13').check(profane), { ok: false, term: 'fuck*' });
    assert.equal(new ContentFilter('R').check(profane).ok, true);
  });

  it('should match whole words and stems, not substrings of other words', () => {
    const g = new ContentFilter('G');
    assert.equal(g.check('The killer waits.').ok, false);
    assert.equal(g.check('Hello, is anyone in the shell of this building?').ok, true);
    assert.equal(g.check('A stable, several, skilled usher.').ok, true);
  });

  it('should match Chinese terms as substrings', () => {
    assert.equal(new ContentFilter('G').check('座位上有血。').ok, false);
    assert.equal(new ContentFilter('PG').check('座位上有血。').ok, true);
    assert.equal(new ContentFilter('PG-13').check('他妈的，那是什么？').ok, false);
  });

  it('should block never-terms at every rating and extra story terms', () => {
    assert.equal(new ContentFilter('R').check('rape').ok, false);
    const custom = new ContentFilter('R', { blocked: ['clown*', '小丑'] });
    assert.equal(custom.check('The clowns are back.').ok, false);
    assert.equal(custom.check('小丑回来了。').ok, false);
  });
});
