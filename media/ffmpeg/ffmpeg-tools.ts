/**
 * Locating the ffmpeg and ffprobe executables. The npm packages `@ffmpeg-installer/ffmpeg` and
 * `@ffprobe-installer/ffprobe` ship static builds; `FRISSON_FFMPEG` / `FRISSON_FFPROBE` override
 * them (e.g. a system ffmpeg in Docker).
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

/** Paths of the two executables every media command needs. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

/** Thrown when ffmpeg or ffprobe cannot be found or executed. */
export class FfmpegMissingError extends Error {
  readonly code = 'FRISSON_ERR_FFMPEG_MISSING';
  constructor(tool: 'ffmpeg' | 'ffprobe', detail: string) {
    super(
      `${tool} not found (${detail}). Install it with \`npm install @${tool}-installer/${tool}\` ` +
        `or point FRISSON_${tool.toUpperCase()} at an executable.`,
    );
    this.name = 'FfmpegMissingError';
  }
}

function packagePath(pkg: string): string | undefined {
  try {
    const mod = createRequire(import.meta.url)(pkg) as { path?: unknown };
    return typeof mod.path === 'string' ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

function checkExecutable(tool: 'ffmpeg' | 'ffprobe', path: string | undefined): string {
  if (path === undefined || path === '') throw new FfmpegMissingError(tool, 'no path configured');
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new FfmpegMissingError(tool, `${path} is not executable`);
  }
  return path;
}

/**
 * Resolves and checks both tools.
 * @example
 * const tools = resolveFfmpegTools(process.env);
 */
export function resolveFfmpegTools(env: NodeJS.ProcessEnv = process.env): FfmpegTools {
  return {
    ffmpeg: checkExecutable(
      'ffmpeg',
      env.FRISSON_FFMPEG ?? packagePath('@ffmpeg-installer/ffmpeg'),
    ),
    ffprobe: checkExecutable(
      'ffprobe',
      env.FRISSON_FFPROBE ?? packagePath('@ffprobe-installer/ffprobe'),
    ),
  };
}
