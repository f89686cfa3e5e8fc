/**
 * The demo film's renderer at the full cut's settings, on one scene shortened to 12 s with a scare
 * at 7.45 s (its hush, stinger and apparition inside): rendered with real ffmpeg, packaged with the
 * real packager (720p + 360p), measured with `frisson story stats --json` as a person runs it, and
 * every variant switch at every segment boundary decoded and checked for clicks and gaps.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { stringify } from 'yaml';
import { DEMO_LEVELS, DEMO_SCENES } from '../../media/demo/demo-script.js';
import { demoEncode, demoFilmScene } from '../../media/demo/demo-story.js';
import { resolveFfmpegTools } from '../../media/ffmpeg/ffmpeg-tools.js';
import { runTool } from '../../media/ffmpeg/run-tool.js';
import { packageStory, PACKAGER_STATE_FILE } from '../../media/packager/package-story.js';
import { parseRendition } from '../../media/packager/rendition-presets.js';
import { probeVideoStream, streamCopyObstacle } from '../../media/packager/stream-copy.js';
import type { FilmScene } from '../../media/render/film-scene.js';
import {
  paintFilmAssets,
  renderFilmClip,
  renderSceneStems,
} from '../../media/render/render-film-clip.js';
import { decodeSegments, measureSplice } from '../../media/render/splice-check.js';
import type { PackagedStory } from '../../contracts/story.js';
import type { StoryStats } from '../../media/story/story-stats.js';
import { CliProcess } from '../support/cli-process.js';

const tools = resolveFfmpegTools();
const basement = DEMO_SCENES.find((s) => s.id === 'basement');

describe('the film renderer, full-cut settings (one scene)', function () {
  this.timeout(240_000);
  let dir = '';
  let manifest: PackagedStory;
  const scene: FilmScene = {
    ...demoFilmScene(basement!, 2, 'full'),
    seconds: 12,
    scares: [{ at: 7.45, figure: { x: 0.47, y: 0.6, height: 0.24 } }],
  };
  const encode = demoEncode('full');
  const file = (level: string): string => `media/hall-${level}.mov`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-film-'));
    await mkdir(join(dir, 'media'), { recursive: true });
    const assets = await paintFilmAssets(tools, join(dir, 'film'), encode, [scene.setting]);
    const stems = await renderSceneStems(
      tools,
      scene,
      DEMO_LEVELS.map((l) => l.intensity),
      join(dir, 'film', 'stems.nut'),
    );
    await writeFile(join(dir, 'film', 'caption.txt'), scene.title);
    for (const level of DEMO_LEVELS) {
      await renderFilmClip(tools, assets, stems, {
        scene,
        intensity: level.intensity,
        encode,
        captionFile: join(dir, 'film', 'caption.txt'),
        output: join(dir, file(level.id)),
      });
    }
    await writeFile(
      join(dir, 'story.yaml'),
      stringify({
        title: 'One Scene',
        levels: DEMO_LEVELS,
        start: 'hall',
        scenes: [
          {
            id: 'hall',
            title: 'Hall',
            variants: Object.fromEntries(DEMO_LEVELS.map((l) => [l.id, file(l.id)])),
            next: { ending: 'out' },
          },
        ],
        endings: [{ id: 'out', title: 'Out' }],
        targetCurve: [
          { t: 0, arousal: 0.2 },
          { t: 12, arousal: 0.9 },
        ],
        packaging: { segmentDuration: 1, frameRate: 24, renditions: ['720p', '360p'] },
      }),
    );
    manifest = (await packageStory(dir)).manifest;
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should render every variant as the packager would encode 720p, so packaging copies its picture', async () => {
    const rendition = (name: string) => {
      const r = parseRendition(name);
      assert.ok(r.success);
      return r.data;
    };
    const state = JSON.parse(await readFile(join(dir, 'dist', PACKAGER_STATE_FILE), 'utf8')) as {
      clips: Record<string, { renditions: Record<string, { segments: unknown[] }> }>;
    };
    for (const level of DEMO_LEVELS) {
      const facts = await probeVideoStream(tools, join(dir, file(level.id)));
      assert.ok(facts);
      const want = { settings: { ...encodeSettings(), level: encode.level }, frames: 12 * 24 };
      assert.equal(streamCopyObstacle(facts, { ...want, rendition: rendition('720p') }), undefined);
      assert.equal(
        streamCopyObstacle(facts, { ...want, rendition: rendition('360p') }),
        '1280x720, not 640x360',
      );
      assert.equal(state.clips[`hall/${level.id}`]?.renditions['720p']?.segments.length, 12);
    }
    // Copied, not encoded again: the 720p segments decode to exactly the source's pictures.
    const pictures = async (input: string): Promise<string> =>
      (
        await runTool(tools.ffmpeg, ['-v', 'error', '-i', input, '-map', '0:v:0', '-f', 'md5', '-'])
      ).stdout.toString('utf8');
    const segments = manifest.scenes.hall?.variants.scare?.segments ?? [];
    assert.equal(
      await pictures(`concat:${segments.map((x) => join(dir, 'dist', x.uri)).join('|')}`),
      await pictures(join(dir, file('scare'))),
    );
    // 24 frames of 3750 ticks at 90 kHz: exactly one second (the EXTINF every playlist repeats).
    assert.deepEqual(new Set(segments.map((x) => x.duration)), new Set([1]));
    assert.deepEqual([manifest.width, manifest.height], [1280, 720]);
    assert.deepEqual(
      manifest.renditions.map((r) => r.name),
      ['720p', '360p'],
    );
  });

  it('should keep calm and scare ≥ 6 LU apart and every true peak ≤ −1 dBTP (frisson story stats --json)', async () => {
    const cli = new CliProcess(['story', 'stats', dir, '--json']);
    const exit = await cli.exitWithin(120_000);
    assert.ok(exit, 'story stats did not finish');
    assert.equal(exit.code, 0, exit.stderr);
    const stats = JSON.parse(exit.stdout) as StoryStats;
    assert.deepEqual(stats.rendition, { name: '720p', width: 1280, height: 720 });
    const by = new Map(stats.variants.map((v) => [v.level, v]));
    const calm = by.get('calm');
    const tense = by.get('tense');
    const scare = by.get('scare');
    assert.ok(calm && tense && scare);
    assert.ok(scare.integrated - calm.integrated >= 6, JSON.stringify(stats.variants));
    assert.ok(calm.integrated < tense.integrated && tense.integrated < scare.integrated);
    for (const v of stats.variants) {
      assert.ok(v.truePeak <= -1, `${v.level}: true peak ${v.truePeak} dBTP`);
      assert.equal(v.duration, 12);
      // Within 2 LU of the renderer's target (the limiter takes a little off the scare).
      const target = { calm: -27, tense: -21.5, scare: -16 }[v.level] ?? 0;
      assert.ok(Math.abs(v.integrated - target) <= 2, `${v.level}: ${v.integrated} LUFS`);
    }
    // Darker as it gets more intense.
    assert.ok(scare.meanLuma < calm.meanLuma);
  });

  it('should switch between any two variants at any segment boundary without a click or a gap', async () => {
    const segs = (level: string): string[] =>
      (manifest.scenes.hall?.variants[level]?.segments ?? []).map((s) => join(dir, 'dist', s.uri));
    const state = JSON.parse(await readFile(join(dir, 'dist', PACKAGER_STATE_FILE), 'utf8')) as {
      clips: Record<string, { renditions: Record<string, { segments: { audioStart: number }[] }> }>;
    };
    const starts = state.clips['hall/calm']?.renditions['720p']?.segments.map((s) => s.audioStart);
    assert.ok(starts && starts.length === 12);
    const worst = { click: 0, level: Infinity, where: '' };
    for (const a of DEMO_LEVELS) {
      for (const b of DEMO_LEVELS) {
        if (a === b) continue;
        for (let k = 1; k < 12; k += 1) {
          const pair = (level: string): string[] => segs(level).slice(k - 1, k + 1);
          const [spliced, alone, other] = await Promise.all([
            decodeSegments(tools, [segs(a.id)[k - 1] ?? '', segs(b.id)[k] ?? '']),
            decodeSegments(tools, pair(a.id)),
            decodeSegments(tools, pair(b.id)),
          ]);
          const at = Math.round(((starts[k] ?? 0) - (starts[k - 1] ?? 0)) * 48000);
          const m = measureSplice(spliced, alone, other, at, 48000);
          if (m.click > worst.click || m.level < worst.level) {
            worst.where = `${a.id}→${b.id} at ${k} s`;
          }
          worst.click = Math.max(worst.click, m.click);
          worst.level = Math.min(worst.level, m.level);
        }
      }
    }
    // A splice's steps stay within what either variant has there (a click would be a step several
    // times larger); its level never drops below half the quieter variant's (no hole, no
    // cancellation). test/unit/media/render/splice-check.test.ts shows both measures catching
    // a hard cut, a polarity flip and a gap.
    assert.ok(worst.click <= 1.5, `click ratio ${worst.click.toFixed(2)} (${worst.where})`);
    assert.ok(worst.level >= 0.5, `level ratio ${worst.level.toFixed(2)} (${worst.where})`);

    // Control: the same splice with the decoder restarted at it (each segment decoded alone, the
    // samples butted together, as a player that flushed its decoder would play it) is caught.
    const k = 6;
    const [first, second, alone, other] = await Promise.all([
      decodeSegments(tools, [segs('calm')[k - 1] ?? '']),
      decodeSegments(tools, [segs('scare')[k] ?? '']),
      decodeSegments(tools, segs('calm').slice(k - 1, k + 1)),
      decodeSegments(tools, segs('scare').slice(k - 1, k + 1)),
    ]);
    const restarted = new Float32Array(first.length + second.length);
    restarted.set(first);
    restarted.set(second, first.length);
    const control = measureSplice(restarted, alone, other, first.length, 48000);
    assert.ok(control.level < 0.5 || control.click > 1.5, JSON.stringify(control));
  });
});

/** The packager's encode settings for this package (what stream-copy decisions are made against). */
function encodeSettings() {
  return {
    segmentDuration: 1,
    frameRate: 24,
    renditions: [],
    level: '3.1',
    preset: 'veryfast',
    crf: 23,
    audioBitrateKbps: 128,
  };
}
