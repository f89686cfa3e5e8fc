/**
 * Rendering every clip of a story written from a theme (`frisson story new --theme`) with the demo
 * film's renderer: each scene's mood picks its set (film-scene.ts filmSceneForMood), each level's
 * intensity its light, apparitions and sound, so a story from a theme is a film of the same kind,
 * not title cards. Clips are encoded at the packager's settings for the story's own size, so
 * `frisson story package` segments their picture by stream copy.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { h264LevelFor, renditionForSize } from '../packager/rendition-presets.js';
import type { Story } from '../story/story-schema.js';
import { filmSceneForMood } from './film-scene.js';
import type { FilmFormat } from './picture-graph.js';
import { paintFilmAssets, renderFilmClip, renderSceneStems } from './render-film-clip.js';

/** One clip to render (the shape story-from-theme.ts describes its placeholder media with). */
export interface ThemeClip {
  sceneId: string;
  levelId: string;
  intensity: number;
  /** Relative to the story directory. */
  file: string;
  title: string;
}

/**
 * @example
 * await renderThemeFilm(tools, { dir, story, clips, seconds: 8, format, font, caption: (c) => c.title });
 */
export async function renderThemeFilm(
  tools: FfmpegTools,
  input: {
    dir: string;
    story: Pick<Story, 'scenes'>;
    clips: readonly ThemeClip[];
    seconds: number;
    format: FilmFormat & { segmentDuration: number };
    /** Caption font (a CJK font for zh-CN). */
    font: string;
    caption: (clip: ThemeClip) => string;
    onProgress?: (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<void> {
  const rendition = renditionForSize(input.format.width, input.format.height);
  const encode = {
    ...input.format,
    width: rendition.width,
    height: rendition.height,
    level: h264LevelFor([rendition], input.format.frameRate),
    maxrateKbps: rendition.maxrateKbps,
    crf: 23,
  };
  const filmDir = join(input.dir, 'media', '.film');
  await mkdir(filmDir, { recursive: true });
  const scenes = input.story.scenes.map((s, index) =>
    filmSceneForMood({
      index,
      seconds: input.seconds,
      title: s.title,
      ...(s.mood ? { mood: s.mood } : {}),
    }),
  );
  const assets = await paintFilmAssets(
    tools,
    filmDir,
    encode,
    scenes.map((s) => s.setting),
    input.signal,
  );
  let done = 0;
  try {
    for (const [index, scene] of input.story.scenes.entries()) {
      const film = scenes[index];
      const clips = input.clips.filter((c) => c.sceneId === scene.id);
      const first = clips[0];
      if (!film || !first) continue;
      const stemsFile = join(filmDir, `${scene.id}-stems.nut`);
      const captionFile = join(filmDir, `${scene.id}-caption.txt`);
      try {
        await writeFile(captionFile, input.caption(first));
        const stems = await renderSceneStems(
          tools,
          film,
          clips.map((c) => c.intensity),
          stemsFile,
          input.signal,
        );
        for (const clip of clips) {
          await renderFilmClip(
            tools,
            assets,
            stems,
            {
              scene: film,
              intensity: clip.intensity,
              encode,
              captionFile,
              fonts: { caption: input.font, title: input.font },
              output: join(input.dir, clip.file),
            },
            input.signal,
          );
          input.onProgress?.((done += 1), input.clips.length);
        }
      } finally {
        await rm(stemsFile, { force: true });
        await rm(captionFile, { force: true });
      }
    }
  } finally {
    await rm(filmDir, { recursive: true, force: true });
  }
}
