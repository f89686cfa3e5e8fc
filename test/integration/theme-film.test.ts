/**
 * `story new --theme` renders its clips with the demo film's renderer (media/render/): every clip
 * carries the film's markers in the letterbox and its variants are loudness-normalised apart,
 * like the demo's — not title cards over a tone.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { resolveFfmpegTools } from '../../media/ffmpeg/ffmpeg-tools.js';
import { runTool } from '../../media/ffmpeg/run-tool.js';
import { writeStoryFromTheme } from '../../tools/story/write-story-from-theme.js';
import {
  classifyMarkerPixel,
  classifySceneMarkerPixel,
  markerSamplePoints,
} from '../../media/render/film-markers.js';
import { parseEbur128 } from '../../media/ffmpeg/loudness.js';

const tools = resolveFfmpegTools();
const W = 320;
const H = 180;

/** RGB of one pixel of the frame at `at` seconds. */
async function pixel(
  file: string,
  at: number,
  [x, y]: [number, number],
): Promise<[number, number, number]> {
  const { stdout } = await runTool(tools.ffmpeg, [
    '-v',
    'error',
    '-ss',
    String(at),
    '-i',
    file,
    '-frames:v',
    '1',
    '-vf',
    `format=rgb24,crop=1:1:${x}:${y}`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  return [stdout[0] ?? 0, stdout[1] ?? 0, stdout[2] ?? 0];
}

async function loudness(file: string): Promise<number> {
  const { stderr } = await runTool(tools.ffmpeg, [
    '-hide_banner',
    '-nostats',
    '-i',
    file,
    '-map',
    '0:a',
    '-af',
    'ebur128=framelog=verbose',
    '-f',
    'null',
    '-',
  ]);
  const summary = parseEbur128(stderr);
  assert.ok(summary, stderr);
  return summary.integrated;
}

describe('stories from a theme are films of the demo kind', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-theme-film-'));
    await writeStoryFromTheme(dir, 'a night guard hears something in the empty cinema', {
      width: W,
      height: H,
      clipSeconds: 3,
      segmentDuration: 1,
    });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should mark every clip with its variant and scene in the letterbox', async () => {
    const points = markerSamplePoints(W, H);
    for (const [level, scene, index] of [
      ['calm', 'prologue', 0],
      ['scare', 'prologue', 0],
      ['tense', 'confrontation', 6],
    ] as const) {
      const file = join(dir, 'media', `${scene}-${level}.mp4`);
      assert.equal(classifyMarkerPixel(await pixel(file, 1, points.variant)), level);
      assert.equal(classifySceneMarkerPixel(await pixel(file, 1, points.scene)), index);
    }
  });

  it('should normalise calm and scare more than 6 LU apart', async () => {
    const calm = await loudness(join(dir, 'media', 'investigate-calm.mp4'));
    const scare = await loudness(join(dir, 'media', 'investigate-scare.mp4'));
    assert.ok(scare - calm >= 6, `calm ${calm} LUFS, scare ${scare} LUFS`);
  });
});
