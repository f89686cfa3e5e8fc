/**
 * Output renditions (ABR ladder rungs) and the encoder settings shared by every clip. Identical
 * settings across clips are what make segments of different clips spliceable.
 */

/** One output picture size with its bitrate cap. */
export interface RenditionSpec {
  /** e.g. `360p`. Used in segment paths and in the manifest's `renditionUris`. */
  name: string;
  width: number;
  height: number;
  /** Video maxrate in kbit/s (VBV cap; x264 runs CRF under it). */
  maxrateKbps: number;
}

const PRESETS: Record<string, Omit<RenditionSpec, 'name'>> = {
  '240p': { width: 426, height: 240, maxrateKbps: 500 },
  '270p': { width: 480, height: 270, maxrateKbps: 600 },
  '360p': { width: 640, height: 360, maxrateKbps: 900 },
  '480p': { width: 854, height: 480, maxrateKbps: 1500 },
  '540p': { width: 960, height: 540, maxrateKbps: 2000 },
  '720p': { width: 1280, height: 720, maxrateKbps: 3000 },
  '1080p': { width: 1920, height: 1080, maxrateKbps: 6000 },
};

/** The rendition names `--renditions` accepts, besides `WxH`. */
export const RENDITION_NAMES = Object.keys(PRESETS);

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/** Bitrate cap for an arbitrary picture size, scaled from the 720p rung by pixel count. */
function maxrateFor(width: number, height: number): number {
  return Math.max(300, Math.round((3000 * (width * height)) / (1280 * 720) / 50) * 50);
}

/**
 * Parses one rendition: a preset name (`360p`) or `WIDTHxHEIGHT`.
 * @example
 * parseRendition('720p'); // { success: true, data: { name: '720p', width: 1280, height: 720, maxrateKbps: 3000 } }
 */
export function parseRendition(
  text: string,
): { success: true; data: RenditionSpec } | { success: false; error: string } {
  const name = text.trim();
  const preset = PRESETS[name];
  if (preset) return { success: true, data: { name, ...preset } };
  const m = /^(\d+)x(\d+)$/.exec(name);
  if (m) {
    const width = even(Number(m[1]));
    const height = even(Number(m[2]));
    return {
      success: true,
      data: { name: `${height}p`, width, height, maxrateKbps: maxrateFor(width, height) },
    };
  }
  return {
    success: false,
    error: `unknown rendition "${name}" (use ${RENDITION_NAMES.join(', ')} or WIDTHxHEIGHT)`,
  };
}

/** A rendition for an explicit size (used when no ladder is asked for). */
export function renditionForSize(width: number, height: number): RenditionSpec {
  const w = even(width);
  const h = even(height);
  const preset = Object.entries(PRESETS).find(([, p]) => p.width === w && p.height === h);
  if (preset) return { name: preset[0], ...preset[1] };
  return { name: `${h}p`, width: w, height: h, maxrateKbps: maxrateFor(w, h) };
}

/**
 * The lowest H.264 level (as `-level` text) whose frame size and macroblock rate fit the largest
 * rendition (ITU-T H.264 Table A-1). One level for all renditions keeps one codec string.
 */
export function h264LevelFor(renditions: readonly RenditionSpec[], frameRate: number): string {
  const mbs = Math.max(
    ...renditions.map((r) => Math.ceil(r.width / 16) * Math.ceil(r.height / 16)),
  );
  const rate = mbs * frameRate;
  const table: [string, number, number][] = [
    ['3.0', 1620, 40500],
    ['3.1', 3600, 108000],
    ['3.2', 5120, 216000],
    ['4.0', 8192, 245760],
    ['4.2', 8704, 522240],
    ['5.0', 22080, 589824],
    ['5.1', 36864, 983040],
  ];
  const hit = table.find(([, maxFs, maxMbps]) => mbs <= maxFs && rate <= maxMbps);
  return hit ? hit[0] : '5.2';
}
