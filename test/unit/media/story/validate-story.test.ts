import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { StoryNotFoundError } from '../../../../media/story/load-story.js';
import { formatStoryProblem } from '../../../../media/story/story-problem.js';
import type { StoryProblem } from '../../../../media/story/story-problem.js';
import { validateStory } from '../../../../media/story/validate-story.js';
import { copyFixture, renderTinyClip, renderTwoRoomsMedia } from '../packager/tiny-media.js';

/** 1-based line of the first line containing `needle` (after `from`, if given). */
function lineOf(text: string, needle: string, from?: string): number {
  const lines = text.split('\n');
  const start = from === undefined ? 0 : lines.findIndex((l) => l.includes(from));
  const i = lines.findIndex((l, n) => n >= start && l.includes(needle));
  assert.ok(i >= 0, `fixture has no line with ${needle}`);
  return i + 1;
}

function brief(problems: StoryProblem[]): string[] {
  return problems.map((p) => `${p.line} ${p.path} ${p.code}`);
}

describe('validateStory (structure)', () => {
  const dirs: string[] = [];
  let original = '';

  before(async () => {
    const dir = await copyFixture('two-rooms');
    dirs.push(dir);
    original = await readFile(join(dir, 'story.yaml'), 'utf8');
  });
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  /** Writes a hand-broken copy of the fixture and validates it without probing media. */
  async function broken(
    edit: (text: string) => string,
  ): Promise<{ text: string; problems: StoryProblem[] }> {
    const dir = await copyFixture('two-rooms');
    dirs.push(dir);
    const text = edit(original);
    assert.notEqual(text, original, 'the edit must change the fixture');
    await writeFile(join(dir, 'story.yaml'), text);
    return { text, problems: await validateStory(dir, { checkMedia: false }) };
  }

  it('should accept the valid fixture', async () => {
    const dir = await copyFixture('two-rooms');
    dirs.push(dir);
    assert.deepEqual(await validateStory(dir, { checkMedia: false }), []);
  });

  it('should report an unknown scene in next with its line and path', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('next: { ending: caught }', 'next: { scene: attic }'),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'scene: attic')} scenes[1].next.scene unknown-scene`,
      // With red-room no longer ending the story, "caught" is never reached.
      `${lineOf(text, 'id: caught')} endings[0].id unreachable-ending`,
    ]);
    assert.equal(problems[0]?.message, 'unknown scene "attic"');
  });

  it('should report a shorthand next to an unknown scene at the next key', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('next: { ending: safe }', 'next: cellar'),
    );
    assert.equal(problems[0]?.path, 'scenes[2].next');
    assert.equal(problems[0]?.line, lineOf(text, 'next: cellar'));
    assert.equal(problems[0]?.code, 'unknown-scene');
  });

  it('should report an unknown branch and an unknown ending', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('next: { branch: choice }', 'next: { branch: choise }')
        .replace('ending: safe }', 'ending: saaf }'),
    );
    const lines = brief(problems);
    assert.ok(
      lines.includes(`${lineOf(text, 'branch: choise')} scenes[0].next.branch unknown-branch`),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes(`${lineOf(text, 'ending: saaf')} scenes[2].next.ending unknown-ending`),
      lines.join('\n'),
    );
  });

  it('should report unknown candidate scenes and a default that is not a candidate', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('{ scene: blue-room, label', '{ scene: green-room, label'),
    );
    // blue-room is no longer a candidate, so it and its ending become unreachable too.
    assert.deepEqual(brief(problems), [
      `${lineOf(text, '- id: blue-room')} scenes[2].id unreachable-scene`,
      `${lineOf(text, 'default: blue-room')} branches[0].default default-not-candidate`,
      `${lineOf(text, 'scene: green-room')} branches[0].candidates[1].scene unknown-scene`,
      `${lineOf(text, 'id: safe')} endings[1].id unreachable-ending`,
    ]);
  });

  it('should report an unreachable scene at its id', async () => {
    const { text, problems } = await broken((t) =>
      t.replace(
        'branches:\n',
        [
          '  - id: cellar',
          '    title: Cellar',
          '    variants: { calm: media/hall-calm.mp4, tense: media/hall-tense.mp4, scare: media/hall-scare.mp4 }',
          '    next: { ending: safe }',
          'branches:',
          '',
        ].join('\n'),
      ),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, '- id: cellar')} scenes[3].id unreachable-scene`,
    ]);
    assert.match(
      formatStoryProblem(problems[0] as StoryProblem),
      /^story\.yaml:\d+: scenes\[3\]\.id: scene "cellar" is unreachable/,
    );
  });

  it('should report a dead end that is not an ending', async () => {
    const { text, problems } = await broken((t) => t.replace('    next: { ending: safe }\n', ''));
    assert.deepEqual(brief(problems), [
      `${lineOf(text, '- id: blue-room')} scenes[2] dead-end`,
      `${lineOf(text, 'id: safe')} endings[1].id unreachable-ending`,
    ]);
  });

  it('should report a cycle with no exit once', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('next: { ending: safe }', 'next: { scene: blue-loop }')
        .replace(
          'branches:\n',
          [
            '  - id: blue-loop',
            '    title: Blue again',
            '    variants: { calm: media/blue-calm.mp4, tense: media/blue-tense.mp4, scare: media/blue-scare.mp4 }',
            '    next: blue-room',
            'branches:',
            '',
          ].join('\n'),
        ),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'next: { scene: blue-loop }')} scenes[2].next cycle-no-exit`,
      `${lineOf(text, 'id: safe')} endings[1].id unreachable-ending`,
    ]);
    assert.match(problems[0]?.message ?? '', /blue-room → blue-loop → blue-room/);
  });

  it('should not call a cycle with an exit a fault', async () => {
    const { problems } = await broken((t) =>
      t
        .replace('{ scene: blue-room, label: Blue door', '{ scene: hall, label: Back')
        .replace('default: blue-room', 'default: hall'),
    );
    // hall → choice → hall loops, but choice also leads to red-room → caught. Only blue-room
    // (no longer a candidate) and its ending become unreachable.
    assert.deepEqual(
      problems.map((p) => p.code),
      ['unreachable-scene', 'unreachable-ending'],
    );
  });

  it('should report preconditions and assignments on undeclared variables', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('var: opened_door', 'var: opened_dor').replace('visits: 1 }', 'visitz: 1 }'),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'visitz: 1')} scenes[1].set.visitz undeclared-variable`,
      `${lineOf(text, 'var: opened_dor')} branches[0].candidates[0].when.var undeclared-variable`,
    ]);
  });

  it('should report a precondition comparing a variable with a value of another type', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('op: eq, value: false', "op: eq, value: 'no'"),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, "value: 'no'")} branches[0].candidates[0].when.value variable-type`,
    ]);
  });

  it('should report a missing level variant and an unknown level', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('      tense: media/hall-tense.mp4', '      tnse: media/hall-tense.mp4'),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'variants:')} scenes[0].variants missing-variant`,
      `${lineOf(text, 'tnse:')} scenes[0].variants.tnse unknown-level`,
    ]);
  });

  it('should report schema errors at the offending field', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('{ id: scare, intensity: 1 }', '{ id: scare, intensity: 1.5 }')
        .replace('    title: The Hall', '    titel: The Hall'),
    );
    const lines = brief(problems);
    assert.ok(
      lines.includes(`${lineOf(text, 'intensity: 1.5')} levels[2].intensity schema`),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes(`${lineOf(text, 'titel: The Hall')} scenes[0].titel schema`),
      lines.join('\n'),
    );
    // The missing `title` is reported at its scene (the nearest existing node).
    assert.ok(
      lines.includes(`${lineOf(text, '- id: hall')} scenes[0].title schema`),
      lines.join('\n'),
    );
  });

  it('should report levels out of order and a target curve going back in time', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('{ id: tense, intensity: 0.5 }', '{ id: tense, intensity: 0 }')
        .replace('{ t: 4, arousal: 0.8 }', '{ t: 0, arousal: 0.8 }'),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, '{ id: tense, intensity: 0 }')} levels[1].intensity levels-order`,
      `${lineOf(text, '{ t: 0, arousal: 0.8 }')} targetCurve[1].t curve-order`,
    ]);
  });

  it('should report duplicate ids', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('- { id: safe, title: Safe }', '- { id: caught, title: Safe }')
        .replace('ending: safe }', 'ending: caught }'),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, '{ id: caught, title: Safe }')} endings[1].id duplicate-id`,
    ]);
  });

  it('should check the structure of the parts that parsed alongside schema errors', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('contentRating: PG-13', 'contentRating: PG-13\nrating: 5')
        .replace('visits: 1 }', 'visitz: 1 }')
        .replace('next: { ending: safe }', 'next: { ending: saaf }'),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'rating: 5')} rating schema`,
      `${lineOf(text, 'visitz: 1')} scenes[1].set.visitz undeclared-variable`,
      `${lineOf(text, 'ending: saaf')} scenes[2].next.ending unknown-ending`,
      `${lineOf(text, 'id: safe')} endings[1].id unreachable-ending`,
    ]);
  });

  it('should report nothing that only follows from a rejected scene, and keep source indices', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('    title: The Red Room\n', '')
        .replace('next: { ending: safe }', 'next: { ending: saaf }'),
    );
    // red-room (scenes[1]) is rejected: the candidate naming it is no "unknown scene" and
    // reachability is not judged; blue-room keeps its index in the file.
    assert.deepEqual(brief(problems), [
      `${lineOf(text, '- id: red-room')} scenes[1].title schema`,
      `${lineOf(text, 'ending: saaf')} scenes[2].next.ending unknown-ending`,
    ]);
  });

  it('should not call a scene whose next was rejected a dead end', async () => {
    const { text, problems } = await broken((t) =>
      t
        .replace('next: { ending: caught }', 'next: { ending: caught, scene: hall }')
        .replace(
          '{ scene: blue-room, label: Blue door, intensity: 0.2',
          '{ scene: blue-room, label: Blue door, intensity: 2',
        )
        .replace("narration: ['#hall#']", "narration: ['#hall#']\n    set: { opened_dor: true }"),
    );
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'opened_dor: true')} scenes[0].set.opened_dor undeclared-variable`,
      `${lineOf(text, 'next: { ending: caught, scene: hall }')} scenes[1].next schema`,
      `${lineOf(text, 'intensity: 2')} branches[0].candidates[1].intensity schema`,
    ]);
  });

  it('should report a YAML syntax error with its line', async () => {
    const { text, problems } = await broken((t) =>
      t.replace('    mood: unease\n', '    mood: unease\n   bad: [\n'),
    );
    assert.equal(problems[0]?.code, 'syntax');
    assert.ok((problems[0]?.line ?? 0) >= lineOf(text, 'bad: ['), JSON.stringify(problems));
  });
});

describe('validateStory (no story)', () => {
  it('should say there is no story, with no file location, for a missing directory', async () => {
    const dir = join(tmpdir(), 'frisson-no-such-story');
    await assert.rejects(validateStory(dir), (error: unknown) => {
      assert.ok(error instanceof StoryNotFoundError);
      assert.equal(
        error.message,
        `no story at ${dir} (expected ${dir}/story.yaml); create one with frisson story new ${dir}`,
      );
      return true;
    });
  });

  it('should say the same for a directory without story.yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frisson-empty-'));
    try {
      await assert.rejects(validateStory(dir), StoryNotFoundError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('validateStory (media)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  let clean = '';

  before(async () => {
    clean = await copyFixture('two-rooms');
    dirs.push(clean);
    await renderTwoRoomsMedia(clean);
  });
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function copy(): Promise<{ dir: string; text: string }> {
    const { cp, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'frisson-media-'));
    dirs.push(dir);
    await cp(clean, dir, { recursive: true });
    return { dir, text: await readFile(join(dir, 'story.yaml'), 'utf8') };
  }

  it('should accept the fixture with its rendered media', async () => {
    assert.deepEqual(await validateStory(clean), []);
  });

  it('should report missing, empty and unreadable media at the variant', async () => {
    const { dir, text } = await copy();
    await rm(join(dir, 'media', 'red-tense.mp4'));
    await writeFile(join(dir, 'media', 'blue-calm.mp4'), '');
    await writeFile(join(dir, 'media', 'hall-scare.mp4'), 'this is not a video file\n'.repeat(50));
    const problems = await validateStory(dir);
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'scare: media/hall-scare.mp4')} scenes[0].variants.scare media-unreadable`,
      `${lineOf(text, 'tense: media/red-tense.mp4')} scenes[1].variants.tense media-missing`,
      `${lineOf(text, 'calm: media/blue-calm.mp4')} scenes[2].variants.calm media-empty`,
    ]);
  });

  it('should report a variant longer than its siblings by more than one frame', async () => {
    const { dir, text } = await copy();
    await renderTinyClip(join(dir, 'media', 'red-scare.mp4'), { seconds: 3 });
    const problems = await validateStory(dir);
    assert.deepEqual(brief(problems), [
      `${lineOf(text, 'scare: media/red-scare.mp4')} scenes[1].variants.scare duration-mismatch`,
    ]);
    assert.match(problems[0]?.message ?? '', /3\.000 s .* 2\.000 s/);
  });

  it('should check every piece of a level made of several files, and their total duration', async () => {
    const { dir, text } = await copy();
    await renderTinyClip(join(dir, 'media', 'red-part.mp4'), { seconds: 1 });
    const edited = text
      .replace('calm: media/red-calm.mp4', 'calm: [media/red-part.mp4, media/red-part.mp4]')
      .replace(
        'tense: media/red-tense.mp4',
        'tense: [media/red-part.mp4, { file: media/nope.mp4 }]',
      )
      .replace(
        'scare: media/red-scare.mp4',
        'scare: [media/red-part.mp4, media/red-part.mp4, media/red-part.mp4]',
      );
    await writeFile(join(dir, 'story.yaml'), edited);
    const problems = await validateStory(dir);
    assert.deepEqual(brief(problems), [
      `${lineOf(edited, 'tense: [media/red-part.mp4')} scenes[1].variants.tense[1].file media-missing`,
      `${lineOf(edited, 'scare: [media/red-part.mp4')} scenes[1].variants.scare duration-mismatch`,
    ]);
    assert.match(problems[1]?.message ?? '', /3\.000 s .* 2\.000 s/);
  });

  it('should report schema, structure and media problems in one run', async () => {
    const { dir, text } = await copy();
    const edited = text
      .replace('defaultMaxIntensity: 0.8', 'defaultMaxIntensity: 1.5')
      .replace('visits: 1 }', 'visitz: 1 }')
      .replace('    title: The Blue Room\n', '    title: The Blue Room\n    colour: blue\n');
    await writeFile(join(dir, 'story.yaml'), edited);
    await rm(join(dir, 'media', 'red-tense.mp4'));
    const problems = await validateStory(dir);
    assert.deepEqual(brief(problems), [
      `${lineOf(edited, 'defaultMaxIntensity: 1.5')} defaultMaxIntensity schema`,
      `${lineOf(edited, 'visitz: 1')} scenes[1].set.visitz undeclared-variable`,
      `${lineOf(edited, 'tense: media/red-tense.mp4')} scenes[1].variants.tense media-missing`,
      `${lineOf(edited, 'colour: blue')} scenes[2].colour schema`,
    ]);
  });

  it('should check the media of the scenes after a rejected one at their own index', async () => {
    const { dir, text } = await copy();
    const edited = text.replace('    title: The Red Room\n', '');
    await writeFile(join(dir, 'story.yaml'), edited);
    await rm(join(dir, 'media', 'blue-calm.mp4'));
    const problems = await validateStory(dir);
    assert.deepEqual(brief(problems), [
      `${lineOf(edited, '- id: red-room')} scenes[1].title schema`,
      `${lineOf(edited, 'calm: media/blue-calm.mp4')} scenes[2].variants.calm media-missing`,
    ]);
  });

  it('should report a trimmed clip that ends up empty at its file field', async () => {
    const { dir, text } = await copy();
    const edited = text.replace(
      '{ file: media/blue-scare.mp4, start: 0 }',
      '{ file: media/blue-scare.mp4, start: 5 }',
    );
    await writeFile(join(dir, 'story.yaml'), edited);
    const problems = await validateStory(dir);
    assert.deepEqual(brief(problems), [
      `${lineOf(edited, 'start: 5')} scenes[2].variants.scare.file media-empty`,
    ]);
  });
});
