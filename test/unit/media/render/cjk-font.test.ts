import assert from 'node:assert/strict';
import {
  CJK_FONT_CANDIDATES,
  cjkFontWarning,
  findCjkFont,
} from '../../../../media/render/cjk-font.js';

describe('CJK font', () => {
  it('should prefer FRISSON_CJK_FONT, then the Debian fonts in order', () => {
    const has = (paths: string[]) => (p: string) => paths.includes(p);
    assert.equal(findCjkFont({ FRISSON_CJK_FONT: '/x.ttf' }, has(['/x.ttf'])), '/x.ttf');
    assert.equal(findCjkFont({ FRISSON_CJK_FONT: '/x.ttf' }, has([])), null);
    const sans = CJK_FONT_CANDIDATES[1];
    assert.equal(findCjkFont({}, has([sans])), sans);
    assert.equal(findCjkFont({}, has([])), null);
  });

  it('should warn in one line naming the package when none is found', () => {
    const w = cjkFontWarning({ FRISSON_CJK_FONT: '/nonexistent/font.ttc' });
    assert.match(
      w ?? '',
      /^frisson: FRISSON_CJK_FONT=\/nonexistent\/font\.ttc does not exist.*\n$/,
    );
    assert.equal((w ?? '').split('\n').length, 2);
  });
});
