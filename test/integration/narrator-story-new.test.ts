/**
 * `frisson story new --theme …` end to end: words from a real OpenAI-compatible server on port 0
 * (with fallbacks), then story.yaml + placeholder clips on disk that validate and package with
 * the real story tools and ffmpeg.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ContentFilter } from '../../media/narration/content-filter.js';
import { generateStoryFromTheme } from '../../tools/story/story-from-theme.js';
import { StoryExistsError, writeStoryFromTheme } from '../../tools/story/write-story-from-theme.js';
import { runTool } from '../../media/ffmpeg/run-tool.js';
import { resolveFfmpegTools } from '../../media/ffmpeg/ffmpeg-tools.js';
import { packageStory } from '../../media/packager/package-story.js';
import { checkStoryStructure } from '../../media/story/check-story-structure.js';
import { StorySchema } from '../../media/story/story-schema.js';
import { StorySource } from '../../media/story/story-source.js';
import { validateStory } from '../../media/story/validate-story.js';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-test-server.js';

const THEME_EN = 'a night guard hears something in the empty cinema';

function structureProblems(story: unknown): string[] {
  const source = StorySource.parse('story.yaml', stringify(story)).source;
  const parsed = StorySchema.safeParse(source.data);
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues));
  return checkStoryStructure(parsed.data, source).map((p) => `${p.path}: ${p.message}`);
}

describe('generateStoryFromTheme with an OpenAI-compatible server', () => {
  let server: OpenAiTestServer;
  beforeEach(async () => {
    server = await startOpenAiTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('should use the words of a JSON answer and keep the structure', async () => {
    server.reply = JSON.stringify({
      title: 'Last Show',
      premise: 'The projector runs after closing time.',
      protagonist: { name: 'Ignored', profile: 'keeps the keys' },
      scenes: {
        prologue: {
          title: 'Closing Time',
          description: 'The last patron leaves.',
          narration: ['Nobody bought a ticket for #this#.'],
        },
        hide: { title: 'Under the Seats', description: 'There is blood on the seats.' },
      },
    });
    const { story, source } = await generateStoryFromTheme(THEME_EN, {
      llm: { baseUrl: server.baseUrl, model: 'm' },
      contentRating: 'G',
    });
    assert.equal(source, 'llm');
    assert.equal(story.title, 'Last Show');
    assert.equal(story.scenes[0]?.title, 'Closing Time');
    const hide = story.scenes.find((s) => s.id === 'hide');
    assert.equal(hide?.title, 'Under the Seats');
    assert.notEqual(hide?.description, 'There is blood on the seats.', 'filtered for G');
    assert.ok(new ContentFilter('G').check(hide?.description ?? '').ok);
    assert.deepEqual(structureProblems(story), []);
    const narration = story.narration as { locales: { en: Record<string, string[]> } };
    assert.deepEqual(narration.locales.en.scene_prologue, [
      'Nobody bought a ticket for \\#this\\#.',
    ]);
    const body = server.requests[0]?.body as {
      stream: boolean;
      messages: Array<{ content: string }>;
    };
    assert.equal(body.stream, false);
    assert.match(body.messages[1]?.content ?? '', /a night guard hears something/);
  });

  for (const mode of ['malformed', 'error', 'empty'] as const) {
    it(`should fall back to built-in text on ${{ error: 'a 500', malformed: 'a malformed', empty: 'an empty' }[mode]} answer`, async () => {
      server.mode = mode;
      const withLlm = await generateStoryFromTheme(THEME_EN, {
        llm: { baseUrl: server.baseUrl, model: 'm' },
      });
      const without = await generateStoryFromTheme(THEME_EN);
      assert.equal(withLlm.source, 'grammar');
      assert.ok(withLlm.fallbackReason);
      assert.deepEqual(withLlm.story, without.story);
    });
  }

  it('should fall back when the answer is not JSON', async () => {
    server.reply = 'Sure! Here is a spooky story about a cinema.';
    const r = await generateStoryFromTheme(THEME_EN, {
      llm: { baseUrl: server.baseUrl, model: 'm' },
    });
    assert.equal(r.source, 'grammar');
    assert.equal(r.fallbackReason, 'invalid-json');
  });

  it('should give up after its timeout', async () => {
    server.mode = 'slow';
    const r = await generateStoryFromTheme(THEME_EN, {
      llm: { baseUrl: server.baseUrl, model: 'm', timeoutMs: 100 },
    });
    assert.equal(r.source, 'grammar');
    assert.equal(r.fallbackReason, 'timeout');
    assert.equal(server.answered, 0);
  });
});

describe('writeStoryFromTheme', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-story-new-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should write a story with placeholder media that validates and packages', async function () {
    this.timeout(120_000);
    const progress: number[] = [];
    const written = await writeStoryFromTheme(dir, THEME_EN, {
      width: 320,
      height: 180,
      clipSeconds: 2,
      segmentDuration: 1,
      onProgress: (done) => progress.push(done),
    });
    assert.equal(progress.length, 21);
    assert.match(
      await readFile(written.storyFile, 'utf8'),
      /^# Generated by `frisson story new --theme/,
    );
    assert.deepEqual(await validateStory(dir), []);
    const packaged = await packageStory(dir, { concurrency: 4, preset: 'ultrafast' });
    assert.equal(Object.keys(packaged.manifest.scenes).length, 7);
    assert.equal(packaged.manifest.scenes.prologue?.variants.scare?.segments.length, 2);
  });

  it('should make the scare tone louder than the calm one', async () => {
    const tools = resolveFfmpegTools();
    const meanVolume = async (file: string): Promise<number> => {
      const { stderr } = await runTool(tools.ffmpeg, [
        '-hide_banner',
        '-nostdin',
        '-i',
        join(dir, file),
        '-af',
        'volumedetect',
        '-f',
        'null',
        '-',
      ]);
      const m = /mean_volume:\s*(-?[\d.]+) dB/.exec(stderr);
      assert.ok(m, stderr);
      return Number(m[1]);
    };
    const calm = await meanVolume('media/prologue-calm.mp4');
    const scare = await meanVolume('media/prologue-scare.mp4');
    assert.ok(scare > calm + 6, `scare ${scare} dB vs calm ${calm} dB`);
  });

  it('should refuse to overwrite an existing story', async () => {
    await assert.rejects(writeStoryFromTheme(dir, THEME_EN), StoryExistsError);
  });
});
