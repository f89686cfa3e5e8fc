import assert from 'node:assert/strict';
import {
  isCjkLocale,
  narrationLanguageName,
  resolveNarrationLocale,
} from '../../../../media/narration/narration-locale.js';

describe('resolveNarrationLocale', () => {
  const available = ['en', 'zh-CN', 'de'];

  it('should match exactly and case-insensitively', () => {
    assert.equal(resolveNarrationLocale('zh-CN', available), 'zh-CN');
    assert.equal(resolveNarrationLocale('zh_cn', available), 'zh-CN');
  });

  it('should map Simplified Chinese variants to zh-CN', () => {
    for (const l of ['zh', 'zh-Hans', 'zh-Hans-CN', 'zh-SG'])
      assert.equal(resolveNarrationLocale(l, available), 'zh-CN');
  });

  it('should match by language and else fall back to English', () => {
    assert.equal(resolveNarrationLocale('de-AT', available), 'de');
    assert.equal(resolveNarrationLocale('fr', available), 'en');
    assert.equal(resolveNarrationLocale('fr', ['ja']), 'ja');
  });

  it('should name languages for prompts and flag CJK locales', () => {
    assert.equal(narrationLanguageName('zh-CN'), 'Simplified Chinese');
    assert.equal(narrationLanguageName('en'), 'English');
    assert.ok(isCjkLocale('zh-CN'));
    assert.ok(!isCjkLocale('en'));
  });
});
