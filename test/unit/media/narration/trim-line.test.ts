import assert from 'node:assert/strict';
import { trimLine } from '../../../../media/narration/trim-line.js';

describe('trimLine', () => {
  it('should leave short lines alone but collapse whitespace', () => {
    assert.equal(trimLine('  Stay\n  very   still. ', 100), 'Stay very still.');
  });

  it('should cut at the last sentence end that fits', () => {
    assert.equal(trimLine('Run. Now. Before it wakes up.', 10), 'Run. Now.');
    assert.equal(trimLine('别回头。它就在你身后，正在慢慢靠近。', 6), '别回头。');
  });

  it('should cut at a word boundary with an ellipsis when no sentence fits', () => {
    const out = trimLine('The long corridor keeps going and going and going', 20);
    assert.equal(out, 'The long corridor\u2026');
    assert.ok(Array.from(out).length <= 20);
  });

  it('should cut CJK text without spaces at the limit', () => {
    const out = trimLine('走廊尽头的黑暗里有什么东西正在慢慢地靠近你', 10);
    assert.equal(Array.from(out).length, 10);
    assert.ok(out.endsWith('\u2026'));
  });
});
