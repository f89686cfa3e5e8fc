import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { parse } from 'yaml';
import { storySchemaPath, storySchemaText } from '../../../../tools/commands/story-commands.js';
import {
  StorySchema,
  resolveClipSource,
  resolveNextRef,
} from '../../../../media/story/story-schema.js';
import { FIXTURES } from '../packager/tiny-media.js';

describe('StorySchema', () => {
  it('should accept the two-rooms fixture', async () => {
    const data: unknown = parse(await readFile(join(FIXTURES, 'two-rooms', 'story.yaml'), 'utf8'));
    const r = StorySchema.safeParse(data);
    assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues));
    assert.equal(r.data.scenes.length, 3);
    assert.deepEqual(r.data.branches?.[0]?.candidates[0]?.when, {
      var: 'opened_door',
      op: 'eq',
      value: false,
    });
  });

  it('should reject unknown fields, bad ids and out-of-range intensities', () => {
    const base = {
      title: 'T',
      scenes: [{ id: 'a', title: 'A', variants: { calm: 'a.mp4' }, next: { ending: 'e' } }],
      endings: [{ id: 'e', title: 'E' }],
      targetCurve: [{ t: 0, arousal: 0.5 }],
    };
    assert.ok(StorySchema.safeParse(base).success);
    const paths = (value: unknown): string[] => {
      const r = StorySchema.safeParse(value);
      return r.success ? [] : r.error.issues.map((i) => `${i.code}:${i.path.join('.')}`);
    };
    assert.deepEqual(paths({ ...base, titel: 'x' }), ['unrecognized_keys:']);
    assert.deepEqual(paths({ ...base, scenes: [{ ...base.scenes[0], id: 'a b' }] }), [
      'invalid_format:scenes.0.id',
    ]);
    assert.deepEqual(paths({ ...base, levels: [{ id: 'calm', intensity: 2 }] }), [
      'too_big:levels.0.intensity',
    ]);
    assert.deepEqual(paths({ ...base, endings: [] }), ['too_small:endings']);
  });

  it('should resolve next and clip shorthands', () => {
    assert.deepEqual(resolveNextRef('hall'), { type: 'scene', scene: 'hall' });
    assert.deepEqual(resolveNextRef({ branch: 'b' }), { type: 'branch', branch: 'b' });
    assert.deepEqual(resolveNextRef({ ending: 'e' }), { type: 'ending', ending: 'e' });
    assert.deepEqual(resolveClipSource('x.mp4'), [{ file: 'x.mp4', path: [] }]);
    assert.deepEqual(resolveClipSource({ file: 'x.mp4', start: 1 }), [
      { file: 'x.mp4', start: 1, path: ['file'] },
    ]);
    assert.deepEqual(resolveClipSource(['a.mp4', { file: 'b.mp4', end: 2 }]), [
      { file: 'a.mp4', path: [0] },
      { file: 'b.mp4', end: 2, path: [1, 'file'] },
    ]);
  });

  it('should have an up-to-date media/schema/story.schema.json (run `frisson story schema`)', async () => {
    const committed = await readFile(storySchemaPath(), 'utf8');
    assert.deepEqual(JSON.parse(committed), JSON.parse(await storySchemaText()));
    assert.equal(committed, await storySchemaText());
  });

  it('should describe conditions recursively in the JSON Schema', async () => {
    const schema = JSON.parse(await storySchemaText()) as { $defs?: Record<string, unknown> };
    const text = JSON.stringify(schema);
    assert.match(text, /"all"/);
    assert.match(text, /"\$ref"/);
    assert.ok(schema.$defs && Object.keys(schema.$defs).length > 0);
  });
});
