import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { checkNarrationGrammar } from '../../../../media/narration/check-narration-grammar.js';
import { GrammarNarrator } from '../../../../media/narration/grammar-narrator.js';
import {
  extractPlace,
  extractRole,
  generateStoryFromTheme,
} from '../../../../tools/story/story-from-theme.js';
import { checkStoryStructure } from '../../../../media/story/check-story-structure.js';
import { StorySchema } from '../../../../media/story/story-schema.js';
import { StorySource } from '../../../../media/story/story-source.js';
import { narrationRequest } from '../../media/narration/narration-request-fixture.js';

const THEME_EN = 'a night guard hears something in the empty cinema';
const THEME_ZH = '一个守夜人在空荡荡的影院里听到了奇怪的声音';

function structureProblems(story: unknown): string[] {
  const source = StorySource.parse('story.yaml', stringify(story)).source;
  const parsed = StorySchema.safeParse(source.data);
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues));
  return checkStoryStructure(parsed.data, source).map((p) => `${p.path}: ${p.message}`);
}

describe('generateStoryFromTheme', () => {
  it('should take role and place from the theme', () => {
    assert.equal(extractRole(THEME_EN, 'en'), 'night guard');
    assert.equal(extractPlace(THEME_EN, 'en'), 'the empty cinema');
    assert.equal(
      extractPlace('a nurse finds a letter in her old hospital, at night', 'en'),
      'the old hospital',
    );
    assert.equal(extractRole(THEME_ZH, 'zh-CN'), '守夜人');
    assert.equal(extractPlace(THEME_ZH, 'zh-CN'), '空荡荡的影院');
    assert.equal(extractRole('something is wrong', 'en'), undefined);
  });

  for (const [locale, theme] of [
    ['en', THEME_EN],
    ['zh-CN', THEME_ZH],
  ] as const) {
    it(`should write a schema-valid, structurally sound story in ${locale}`, async () => {
      const { story, source, clips } = await generateStoryFromTheme(theme, { locale });
      assert.equal(source, 'grammar');
      assert.deepEqual(structureProblems(story), []);
      assert.deepEqual(story.locales, [locale]);
      assert.equal(story.scenes.length, 7);
      assert.equal(story.branches?.length, 2);
      assert.equal(clips.length, 7 * 3);
      assert.ok(story.scenes.every((s) => (s.description ?? '').length > 10));
      assert.ok(story.scenes[0]?.tags?.includes('cinema'));
      const problems = checkNarrationGrammar({
        narration: story.narration,
        locales: story.locales,
        variables: Object.keys(story.variables ?? {}),
        sceneHooks: story.scenes.map((s) => s.narration),
      });
      assert.deepEqual(problems, []);
    });
  }

  it('should be deterministic for a seed and vary across seeds', async () => {
    const a = await generateStoryFromTheme(THEME_EN, { seed: 1 });
    const b = await generateStoryFromTheme(THEME_EN, { seed: 1 });
    assert.deepEqual(a.story, b.story);
    const names = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const { story } = await generateStoryFromTheme(THEME_EN, { seed });
      names.add(story.variables?.saw_it?.description ?? '');
    }
    assert.ok(names.size > 2);
  });

  it('should give scene hooks the narrator speaks in the story’s language', async () => {
    const { story } = await generateStoryFromTheme(THEME_ZH, { locale: 'zh-CN' });
    const { narrator, issues } = GrammarNarrator.fromStory(story);
    assert.deepEqual(issues, []);
    const scene = story.scenes[0];
    assert.ok(scene);
    const line = await narrator.narrate(
      narrationRequest({
        story: { locale: 'zh-CN' },
        scene: { id: scene.id, title: scene.title, tags: scene.tags ?? [], hooks: scene.narration },
      }),
    );
    assert.match(line.text, /[\u4e00-\u9fff]/);
    assert.doesNotMatch(line.text, /#|scene_/);
  });
});
