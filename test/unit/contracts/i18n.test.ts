/**
 * zh-CN is complete: every key of the English table has a Chinese string with no English words
 * left in it, and every `data-i18n` key of the pages exists.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ENGLISH_STRINGS, isStringKey, stringTable, t } from '../../../contracts/i18n.js';

/** Words that stay as they are in Chinese: the product's name, protocols, units, CLI flags. */
const KEPT = new Set(['Frisson', 'HLS', 'HTTP', 'simulate', 'bpm']);

/** English words (three letters or more) in `text` that are not kept on purpose. */
function englishWords(text: string): string[] {
  return (text.replace(/\{\w+\}/g, '').match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !KEPT.has(w));
}

describe('i18n string tables', () => {
  const zh = stringTable('zh-CN');

  it('should have a zh-CN string for every key', () => {
    const missing = Object.keys(ENGLISH_STRINGS).filter((k) => !(k in zh));
    assert.deepEqual(missing, []);
  });

  it('should leave no English word in a zh-CN string', () => {
    const left = Object.entries(zh)
      .map(([k, v]) => [k, englishWords(v ?? '')] as const)
      .filter(([, words]) => words.length > 0);
    assert.deepEqual(left, []);
  });

  it('should keep every placeholder of the English string', () => {
    for (const [k, en] of Object.entries(ENGLISH_STRINGS)) {
      const names = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
      assert.deepEqual(names(zh[k as keyof typeof zh] ?? ''), names(en), k);
    }
  });

  it('should fill placeholders', () => {
    assert.equal(t('zh-CN', 'hud.calibrating', { s: 12 }), '校准中，还需 12 秒');
    assert.equal(t('en', 'hud.calibrating', { s: 12 }), 'Calibrating, 12 s');
  });

  it('should know every data-i18n key the pages use', async () => {
    for (const page of ['player', 'dashboard', 'report', 'sim']) {
      const html = await readFile(`client/${page}/index.html`, 'utf8');
      for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) {
        assert.ok(isStringKey(m[1] ?? ''), `${page}: unknown key ${m[1]}`);
      }
    }
  });
});
