import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { resolveFfmpegTools } from '../../../../media/ffmpeg/ffmpeg-tools.js';
import {
  formatStoryStats,
  parseStatsMetadata,
  storyStats,
  variantStatsArgs,
} from '../../../../media/story/story-stats.js';

describe('story stats', () => {
  it('should measure a variant from its segments joined as one stream, keyframes only for luma', () => {
    const args = variantStatsArgs(['/d/seg-00000.ts', '/d/seg-00001.ts']);
    assert.ok(args.includes('concat:/d/seg-00000.ts|/d/seg-00001.ts'));
    assert.equal(args[args.indexOf('-skip_frame') + 1], 'nokey');
    assert.match(args[args.indexOf('-filter_complex') + 1] ?? '', /ebur128=peak=true:metadata=1/);
  });

  it('should read the loudest momentary loudness and the mean luma from ffmpeg metadata lines', () => {
    const stdout = [
      'frame:0    pts:0       pts_time:0',
      'lavfi.r128.M=-120.691',
      'frame:1    pts:4800    pts_time:0.1',
      'lavfi.r128.M=-18.2',
      'frame:0    pts:0       pts_time:0',
      'lavfi.signalstats.YAVG=30',
      'frame:1    pts:90000   pts_time:1',
      'lavfi.signalstats.YAVG=40',
    ].join('\n');
    assert.deepEqual(parseStatsMetadata(stdout), { maxMomentary: -18.2, meanLuma: 35 });
  });

  it('should print a table with a row per variant and a summary per level', () => {
    const v = (level: string, integrated: number) => ({
      scene: 'hall',
      level,
      duration: 30,
      integrated,
      range: 3,
      truePeak: -2.5,
      maxMomentary: integrated + 9,
      meanLuma: 30,
    });
    const text = formatStoryStats({
      story: 'S',
      rendition: { name: '720p', width: 1280, height: 720 },
      variants: [v('calm', -27), v('scare', -17.8)],
    });
    const lines = text.trim().split('\n');
    assert.match(lines[0] ?? '', /^S — 720p \(1280x720\)/);
    assert.match(lines[2] ?? '', /^hall\/calm\s+30\.0\s+-27\.0\s+3\.0\s+-2\.5\s+-18\.0\s+30\.0$/);
    assert.match(lines.at(-1) ?? '', /^all\/scare\s+30\.0\s+-17\.8/);
  });

  it('should say in one line that a folder has no package, and how to make one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frisson-stats-'));
    try {
      await assert.rejects(storyStats(resolveFfmpegTools(), dir), {
        code: 'FRISSON_ERR_STORY_STATS',
        message: `no package in ${dir} (no dist/manifest.json); run frisson story package ${dir}`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
