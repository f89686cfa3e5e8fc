/**
 * Test helper: renders tiny real media files (64×36, 25 fps, H.264 + AAC) with the bundled
 * ffmpeg, so story tests work on real bytes without committing media.
 */
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveFfmpegTools } from '../../../../media/ffmpeg/ffmpeg-tools.js';
import { runTool } from '../../../../media/ffmpeg/run-tool.js';
import { mapLimit } from '../../../../media/story/check-story-media.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'stories');

/** Renders `seconds` of a test pattern with a tone (or without audio). */
export async function renderTinyClip(
  out: string,
  options: { seconds?: number; audio?: boolean; hue?: number; size?: string } = {},
): Promise<void> {
  const tools = resolveFfmpegTools();
  await mkdir(dirname(out), { recursive: true });
  const seconds = options.seconds ?? 2;
  const size = options.size ?? '64x36';
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  args.push('-f', 'lavfi', '-i', `testsrc=s=${size}:r=25:d=${seconds}`);
  if (options.audio ?? true) {
    args.push('-f', 'lavfi', '-i', `sine=f=${220 + (options.hue ?? 0) * 40}:r=48000:d=${seconds}`);
  }
  args.push('-vf', `hue=h=${(options.hue ?? 0) * 60}`, '-c:v', 'libx264', '-preset', 'ultrafast');
  if (options.audio ?? true) args.push('-c:a', 'aac', '-ac', '2');
  args.push('-pix_fmt', 'yuv420p', out);
  await runTool(tools.ffmpeg, args);
}

/** Copies a fixture story into a fresh temp directory and returns it. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `frisson-${name}-`));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Renders every clip the two-rooms fixture references (2 s each) into `dir/media`. */
export async function renderTwoRoomsMedia(dir: string): Promise<void> {
  const names = ['hall', 'red', 'blue'].flatMap((s) =>
    ['calm', 'tense', 'scare'].map((l) => `${s}-${l}`),
  );
  await mapLimit(names, 2, (n, i) =>
    renderTinyClip(join(dir, 'media', `${n}.mp4`), { hue: i % 6 }),
  );
}
