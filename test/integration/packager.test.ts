/**
 * Packages a tiny real story (2 scenes × 2 levels, 64×36, rendered by the test) with the real
 * ffmpeg/ffprobe and checks the package: spliceable segments, measured durations, incremental
 * re-packaging, ABR renditions, clean failure and interruption, and the record of what a package
 * was built from that tells a server it is stale.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { FfmpegMissingError, resolveFfmpegTools } from '../../media/ffmpeg/ffmpeg-tools.js';
import { probeSegment, probeSegments } from '../../media/ffmpeg/probe-media.js';
import {
  PACKAGER_STATE_FILE,
  StoryInvalidError,
  isPackageCurrent,
  packageStory,
} from '../../media/packager/package-story.js';
import { prepareStoryForServing } from '../../media/prepare-story-for-serving.js';
import { loadPackagedStory } from '../../media/story/load-manifest.js';
import { checkPackageFreshness } from '../../media/story/package-freshness.js';
import { renderTinyClip } from '../unit/media/packager/tiny-media.js';

const STORY = `title: Tiny
levels:
  - { id: calm, intensity: 0 }
  - { id: scare, intensity: 1 }
scenes:
  - id: one
    title: One
    variants: { calm: media/one-calm.mp4, scare: media/one-scare.mp4 }
    next: two
  - id: two
    title: Two
    variants: { calm: media/two-calm.mp4, scare: media/two-scare.mp4 }
    next: { ending: end }
endings:
  - { id: end, title: The End }
targetCurve:
  - { t: 0, arousal: 0.5 }
packaging: { width: 64, height: 36 }
`;

async function makeStory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'frisson-pkg-'));
  await writeFile(join(dir, 'story.yaml'), STORY);
  await renderTinyClip(join(dir, 'media', 'one-calm.mp4'), { seconds: 2, hue: 0 });
  // A variant without audio: the packager must add silence so splices have no gap.
  await renderTinyClip(join(dir, 'media', 'one-scare.mp4'), { seconds: 2, hue: 2, audio: false });
  await renderTinyClip(join(dir, 'media', 'two-calm.mp4'), { seconds: 3, hue: 4 });
  await renderTinyClip(join(dir, 'media', 'two-scare.mp4'), { seconds: 3, hue: 5 });
  return dir;
}

describe('packageStory (integration)', function () {
  this.timeout(120_000);
  const tools = resolveFfmpegTools();
  let dir = '';

  before(async () => {
    dir = await makeStory();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should write a valid manifest with measured 1 s segments that start with keyframes', async () => {
    const result = await packageStory(dir);
    assert.equal(result.encoded, 4);
    assert.equal(result.unchanged, 0);
    const loaded = await loadPackagedStory(dir);
    assert.ok(loaded.success, loaded.success ? '' : loaded.error);
    const m = loaded.data.story;
    // Read from the SPS: constrained baseline (42, constraint flags c0), level 3.0 (1e).
    assert.equal(m.codecs, 'avc1.42c01e,mp4a.40.2');
    assert.deepEqual([m.width, m.height, m.frameRate, m.segmentDuration], [64, 36, 25, 1]);
    assert.deepEqual(m.scenes.one?.next, { type: 'scene', scene: 'two' });
    for (const [sceneId, count] of [
      ['one', 2],
      ['two', 3],
    ] as const) {
      for (const level of ['calm', 'scare']) {
        const segs = m.scenes[sceneId]?.variants[level]?.segments ?? [];
        assert.equal(segs.length, count, `${sceneId}/${level}`);
        for (const seg of segs) {
          assert.equal(seg.duration, 1);
          const t = await probeSegment(tools, join(loaded.data.mediaDir, seg.uri));
          assert.ok(t.startsWithKeyframe, seg.uri);
          assert.equal(t.videoFrames, 25);
        }
      }
    }
  });

  it('should give all variants of a scene one timeline with audio covering every segment', async () => {
    const state = JSON.parse(await readFile(join(dir, 'dist', PACKAGER_STATE_FILE), 'utf8')) as {
      clips: Record<
        string,
        {
          renditions: Record<
            string,
            {
              segments: {
                videoStart: number;
                audioStart?: number;
                audioEnd?: number;
                duration: number;
              }[];
            }
          >;
        }
      >;
    };
    const timeline = (id: string): string =>
      JSON.stringify(
        Object.values(state.clips[id]?.renditions ?? {})[0]?.segments.map((s) => [
          s.videoStart,
          s.duration,
          s.audioStart,
          s.audioEnd,
        ]),
      );
    assert.equal(timeline('one/calm'), timeline('one/scare'));
    assert.equal(timeline('two/calm'), timeline('two/scare'));
    const segs = Object.values(state.clips['two/calm']?.renditions ?? {})[0]?.segments ?? [];
    for (const [i, s] of segs.entries()) {
      // Audio is cut in whole AAC frames (1024 samples = 21.3 ms), so per segment it may start up
      // to one frame off the video; across segments it must be seamless, and the clip's audio must
      // start no later and end no earlier than its video.
      assert.ok(
        Math.abs((s.audioStart ?? Infinity) - s.videoStart) <= 1024 / 48000 + 1e-6,
        `segment ${i}`,
      );
      if (i === 0) assert.ok((s.audioStart ?? Infinity) <= s.videoStart, 'audio starts late');
      const next = segs[i + 1];
      if (next)
        assert.ok(Math.abs((next.audioStart ?? 0) - (s.audioEnd ?? 0)) < 0.001, `gap after ${i}`);
      else assert.ok((s.audioEnd ?? 0) >= s.videoStart + s.duration, 'audio ends before the video');
    }
  });

  it("should measure a clip's segments in one ffprobe exactly as one at a time", async () => {
    const loaded = await loadPackagedStory(dir);
    assert.ok(loaded.success);
    const { story: manifest, mediaDir: baseDir } = loaded.data;
    for (const scene of Object.values(manifest.scenes)) {
      for (const variant of Object.values(scene.variants)) {
        const files: string[] = variant.segments.map((s) => join(baseDir, s.uri));
        assert.ok(files.length >= 2);
        const together = await probeSegments(tools, files);
        const alone = await Promise.all(files.map((f) => probeSegment(tools, f)));
        assert.deepEqual(together, alone);
      }
    }
  });

  it('should re-encode nothing the second time and say so', async () => {
    const result = await packageStory(dir);
    assert.equal(result.summary, '0 clips re-encoded, 4 unchanged');
    assert.equal(result.encoded, 0);
  });

  it('should re-encode only the clip whose source changed', async () => {
    await renderTinyClip(join(dir, 'media', 'two-scare.mp4'), { seconds: 3, hue: 1 });
    const result = await packageStory(dir);
    assert.equal(result.summary, '1 clip re-encoded, 3 unchanged');
  });

  it('should join a level made of several pieces onto one timeline', async () => {
    await renderTinyClip(join(dir, 'media', 'two-a.mp4'), { seconds: 1, hue: 3 });
    await renderTinyClip(join(dir, 'media', 'two-b.mp4'), { seconds: 2, hue: 4, audio: false });
    const story = await readFile(join(dir, 'story.yaml'), 'utf8');
    await writeFile(
      join(dir, 'story.yaml'),
      story.replace('calm: media/two-calm.mp4', 'calm: [media/two-a.mp4, media/two-b.mp4]'),
    );
    try {
      const result = await packageStory(dir);
      assert.equal(result.encoded, 1);
      const calm = result.manifest.scenes.two?.variants.calm?.segments ?? [];
      const scare = result.manifest.scenes.two?.variants.scare?.segments ?? [];
      assert.deepEqual(
        calm.map((s) => s.duration),
        scare.map((s) => s.duration),
      );
      for (const [i, seg] of calm.entries()) {
        const a = await probeSegment(tools, join(dir, 'dist', seg.uri));
        const b = await probeSegment(tools, join(dir, 'dist', scare[i]?.uri ?? ''));
        assert.ok(a.startsWithKeyframe);
        assert.deepEqual(
          [a.videoStart, a.audioStart, a.audioEnd],
          [b.videoStart, b.audioStart, b.audioEnd],
        );
      }
    } finally {
      await writeFile(join(dir, 'story.yaml'), story);
    }
  });

  it('should package ABR renditions that switch at the same boundaries', async () => {
    const result = await packageStory(dir, { renditions: ['64x36', '128x72'] });
    assert.equal(result.encoded, 4); // settings changed: everything is re-encoded
    const m = result.manifest;
    assert.deepEqual(
      m.renditions.map((r) => [r.name, r.width, r.height]),
      [
        ['36p', 64, 36],
        ['72p', 128, 72],
      ],
    );
    assert.ok(m.renditions.every((r) => r.bandwidth > 0));
    const segs = m.scenes.two?.variants.scare?.segments ?? [];
    for (const seg of segs) {
      const uris = seg.renditionUris ?? {};
      assert.deepEqual(Object.keys(uris), ['36p', '72p']);
      const a = await probeSegment(tools, join(dir, 'dist', uris['36p'] ?? ''));
      const b = await probeSegment(tools, join(dir, 'dist', uris['72p'] ?? ''));
      assert.deepEqual([a.videoStart, a.duration], [b.videoStart, b.duration]);
      assert.ok(b.startsWithKeyframe);
    }
  });

  it('should leave the previous package intact and no temp dir when interrupted', async () => {
    const before = await readFile(join(dir, 'dist', 'manifest.json'), 'utf8');
    const controller = new AbortController();
    const run = packageStory(dir, {
      signal: controller.signal,
      renditions: ['96x54'],
      progress: {
        start: () => {},
        clipStart: () => controller.abort(new Error('interrupted')),
        clipProgress: () => {},
        clipDone: () => {},
        log: () => {},
        stop: () => {},
      },
    });
    await assert.rejects(run, /interrupted/);
    assert.equal(await readFile(join(dir, 'dist', 'manifest.json'), 'utf8'), before);
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith('.dist-')),
      [],
    );
  });

  it('should refuse an invalid story listing its problems and write nothing', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'frisson-bad-'));
    try {
      await writeFile(join(bad, 'story.yaml'), STORY.replace('next: two', 'next: three'));
      await assert.rejects(packageStory(bad), (error: unknown) => {
        assert.ok(error instanceof StoryInvalidError);
        assert.ok(
          error.problems.some((p) => p.path === 'scenes[0].next' && p.code === 'unknown-scene'),
        );
        assert.ok(error.problems.some((p) => p.code === 'media-missing'));
        return true;
      });
      await assert.rejects(stat(join(bad, 'dist')));
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it('should explain a missing ffmpeg', () => {
    assert.throws(
      () => resolveFfmpegTools({ FRISSON_FFMPEG: '/nonexistent/ffmpeg' }),
      (error: unknown) =>
        error instanceof FfmpegMissingError && /ffmpeg not found/.test(error.message),
    );
  });
});

describe('package freshness (integration)', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => {
    dir = await makeStory();
    await packageStory(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const manifestFile = (): string => join(dir, 'dist', 'manifest.json');

  it('should record the story file and every source clip it was built from', async () => {
    const loaded = await loadPackagedStory(dir);
    assert.ok(loaded.success);
    const built = loaded.data.story.builtFrom;
    assert.equal(built?.storyFile, 'story.yaml');
    assert.equal(
      built?.storySha256,
      createHash('sha256')
        .update(await readFile(join(dir, 'story.yaml')))
        .digest('hex'),
    );
    assert.deepEqual(Object.keys(built?.media ?? {}), [
      'media/one-calm.mp4',
      'media/one-scare.mp4',
      'media/two-calm.mp4',
      'media/two-scare.mp4',
    ]);
    const clip = built?.media['media/two-calm.mp4'];
    assert.equal(clip?.bytes, (await stat(join(dir, 'media', 'two-calm.mp4'))).size);
    assert.deepEqual(await checkPackageFreshness(dir), { success: true, data: { checked: true } });
    assert.equal(await isPackageCurrent(dir), true);
  });

  it('should call a package fresh when a clip was only touched, not changed', async () => {
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, 'media', 'one-calm.mp4'), later, later);
    assert.deepEqual(await checkPackageFreshness(dir), { success: true, data: { checked: true } });
  });

  it('should name a changed story.yaml and the command that fixes it', async () => {
    const story = await readFile(join(dir, 'story.yaml'), 'utf8');
    await writeFile(join(dir, 'story.yaml'), story.replace('title: One', 'title: One again'));
    try {
      assert.deepEqual(await checkPackageFreshness(dir), {
        success: false,
        error: `${dir}/story.yaml changed since ${dir}/dist was packaged; run frisson story package ${dir}`,
      });
      assert.equal(await isPackageCurrent(dir), false);
    } finally {
      await writeFile(join(dir, 'story.yaml'), story);
    }
  });

  it('should name a changed source clip, and count the others', async () => {
    const copy = async (from: string, to: string): Promise<void> =>
      writeFile(join(dir, 'media', to), await readFile(join(dir, 'media', from)));
    const saved = await readFile(join(dir, 'media', 'one-calm.mp4'));
    const savedScare = await readFile(join(dir, 'media', 'one-scare.mp4'));
    try {
      await renderTinyClip(join(dir, 'media', 'one-calm.mp4'), { seconds: 2, hue: 3 });
      const one = await checkPackageFreshness(dir);
      assert.ok(!one.success);
      assert.equal(
        one.error,
        `${dir}/media/one-calm.mp4 changed since ${dir}/dist was packaged; run frisson story package ${dir}`,
      );
      await copy('two-calm.mp4', 'one-scare.mp4');
      const two = await checkPackageFreshness(dir);
      assert.ok(!two.success);
      assert.match(two.error, /one-calm\.mp4 and 1 more source file changed since /);
    } finally {
      await writeFile(join(dir, 'media', 'one-calm.mp4'), saved);
      await writeFile(join(dir, 'media', 'one-scare.mp4'), savedScare);
    }
    assert.ok((await checkPackageFreshness(dir)).success);
  });

  it('should serve a package shipped without its raw footage or its story file as it is', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'frisson-bare-'));
    try {
      await cp(join(dir, 'dist'), join(bare, 'dist'), { recursive: true });
      await cp(join(dir, 'story.yaml'), join(bare, 'story.yaml'));
      assert.deepEqual(await checkPackageFreshness(bare), {
        success: true,
        data: { checked: true },
      });
      await rm(join(bare, 'story.yaml'));
      assert.deepEqual(await checkPackageFreshness(bare), {
        success: true,
        data: { checked: false },
      });
      // Nor is such a package taken for a demo to generate over (serve --demo).
      const manifest = await readFile(join(bare, 'dist', 'manifest.json'), 'utf8');
      await prepareStoryForServing(bare, { demo: true });
      assert.equal(await readFile(join(bare, 'dist', 'manifest.json'), 'utf8'), manifest);
      assert.deepEqual(await readdir(bare), ['dist']);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('should call a manifest that predates the record stale, with a clear message', async () => {
    const text = await readFile(manifestFile(), 'utf8');
    const { builtFrom: _, ...old } = JSON.parse(text) as Record<string, unknown>;
    await writeFile(manifestFile(), JSON.stringify(old));
    try {
      assert.ok((await loadPackagedStory(dir)).success, 'an old manifest still loads');
      assert.deepEqual(await checkPackageFreshness(dir), {
        success: false,
        error:
          `${dir}/dist was packaged by an older frisson that did not record its sources, so it ` +
          `may not match ${dir}/story.yaml; run frisson story package ${dir}`,
      });
    } finally {
      await writeFile(manifestFile(), text);
    }
  });
});
