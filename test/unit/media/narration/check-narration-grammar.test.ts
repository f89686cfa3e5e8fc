import assert from 'node:assert/strict';
import { demoStory } from '../../../../media/demo/demo-script.js';
import { checkNarrationGrammar } from '../../../../media/narration/check-narration-grammar.js';
import { grammarReferences } from '../../../../media/narration/grammar-expander.js';

describe('checkNarrationGrammar', () => {
  it('should find the symbols a rule uses and defines', () => {
    assert.deepEqual(grammarReferences('[hero:#name#]#hero.capitalize# \\#not #[x:y]z#'), {
      uses: ['name', 'hero', 'z'],
      defines: ['hero', 'x'],
    });
  });

  it('should accept the demo story’s grammar and hooks', () => {
    const story = demoStory((scene, level) => `media/${scene}-${level}.mp4`);
    const problems = checkNarrationGrammar({
      narration: story.narration,
      locales: story.locales,
      variables: Object.keys(story.variables ?? {}),
      sceneHooks: story.scenes.map((s) => s.narration),
    });
    assert.deepEqual(problems, []);
  });

  it('should report schema errors with their path under narration', () => {
    const [problem] = checkNarrationGrammar({ narration: { locales: { en: { origin: [] } } } });
    assert.equal(problem?.code, 'narration-schema');
    assert.equal(problem?.severity, 'error');
    assert.deepEqual(problem?.path, ['narration', 'locales', 'en', 'origin']);
  });

  it('should warn about undefined symbols in rules and scene hooks but know runtime ones', () => {
    const problems = checkNarrationGrammar({
      narration: {
        locales: {
          en: { origin: ['#viewer# #var_found_key# #where# #nope#'] },
          'zh-CN': { origin: '#warning#' },
        },
      },
      locales: ['en', 'zh-CN'],
      variables: ['found_key'],
      sceneHooks: [['#alsoNope#', 'origin'], undefined],
    });
    assert.deepEqual(
      problems.map((p) => [p.path.join('.'), p.message]),
      [
        [
          'narration.locales.en.origin.0',
          '"#nope#" is not defined for locale "en" (it will be left out)',
        ],
        [
          'scenes.0.narration.0',
          '"#alsoNope#" is not defined for locale "en" (it will be left out)',
        ],
        [
          'scenes.0.narration.0',
          '"#alsoNope#" is not defined for locale "zh-CN" (it will be left out)',
        ],
      ],
    );
  });

  it('should warn that a locale without built-in defaults falls back to English', () => {
    const problems = checkNarrationGrammar({
      narration: { locales: { fr: { origin: 'Ne te retourne pas.' } } },
    });
    assert.equal(problems[0]?.code, 'narration-locale-defaults');
  });
});
