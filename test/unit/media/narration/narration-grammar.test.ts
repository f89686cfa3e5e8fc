import assert from 'node:assert/strict';
import { parseNarrationGrammar } from '../../../../media/narration/narration-grammar.js';

describe('parseNarrationGrammar', () => {
  it('should accept a two-locale grammar and normalise single rules to lists', () => {
    const r = parseNarrationGrammar({
      locales: { en: { origin: ['A #x#.'], x: 'b' }, 'zh-CN': { origin: '它来了。' } },
    });
    assert.ok(r.success);
    assert.deepEqual(r.data.locales.en?.x, ['b']);
    assert.deepEqual(r.data.locales['zh-CN']?.origin, ['它来了。']);
  });

  it('should treat a missing payload as an empty grammar', () => {
    const r = parseNarrationGrammar(undefined);
    assert.ok(r.success);
    assert.deepEqual(r.data, { locales: {} });
  });

  it('should reject bad symbol names, empty rule lists, bad locales and non-strings', () => {
    for (const bad of [
      { locales: { en: { 'has space': 'x' } } },
      { locales: { en: { 'a.b': 'x' } } },
      { locales: { en: { origin: [] } } },
      { locales: { 'not a locale': { origin: 'x' } } },
      { locales: { en: { origin: [1] } } },
      { locales: { en: 'x' } },
      'a string',
    ]) {
      const r = parseNarrationGrammar(bad);
      assert.equal(r.success, false, JSON.stringify(bad));
    }
  });
});

describe('parseNarrationGrammar (flat form)', () => {
  it('should read a flat symbol map as the grammar of the default locale', () => {
    const r = parseNarrationGrammar(
      { arrival: ['The night shift starts.'], locales: 'a symbol' },
      { defaultLocale: 'zh-CN' },
    );
    assert.ok(r.success);
    assert.deepEqual(r.data.locales['zh-CN']?.arrival, ['The night shift starts.']);
    assert.deepEqual(r.data.locales['zh-CN']?.locales, ['a symbol']);
  });
});
