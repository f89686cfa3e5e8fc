/**
 * Placeholder media for a story generated from a theme: a title card per scene × level showing
 * the scene's title and description, darker and grainier as intensity rises, over a low tone whose
 * loudness follows intensity (so the adaptive mix is audible before real footage exists).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface PlaceholderClipInput {
  /** Text files (avoid filtergraph escaping of arbitrary titles). */
  titleFile: string;
  descriptionFile: string;
  labelFile: string;
  fontFile: string;
  intensity: number;
  /** Scene position, varies the tone's pitch between scenes. */
  sceneIndex: number;
  seconds: number;
  width: number;
  height: number;
  frameRate: number;
  output: string;
}

/** DejaVu Sans from the `dejavu-fonts-ttf` package (Latin, Greek, Cyrillic; no CJK glyphs). */
export function placeholderFontPath(): string {
  const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  return join(dirname(pkg), 'ttf', 'DejaVuSans.ttf');
}

/** Tone amplitude for an intensity: 0.05 (calm) … 0.5 (scare). */
export function placeholderToneVolume(intensity: number): number {
  const i = Math.min(1, Math.max(0, intensity));
  return Math.round((0.05 + 0.45 * i) * 1000) / 1000;
}

/**
 * Wraps text into lines of at most `width` columns (CJK characters count two), for drawtext.
 * @example wrapCaption('The lights die and nothing moves', 12) // 'The lights\ndie and\nnothing\nmoves'
 */
export function wrapCaption(text: string, width: number): string {
  const cols = (s: string): number =>
    Array.from(s).reduce((n, c) => n + (/[\u2e80-\uffff]/u.test(c) ? 2 : 1), 0);
  const tokens = text.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const cjk = /^[\u2e80-\uffff]$/u.test(token);
    const candidate =
      line.length === 0
        ? token
        : cjk || /[\u2e80-\uffff]$/u.test(line)
          ? line + token
          : `${line} ${token}`;
    if (cols(candidate) > width && line.length > 0) {
      lines.push(line);
      line = token;
    } else {
      line = candidate;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.join('\n');
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Background per intensity: blue-grey (calm) → amber → deep red (scare). */
function background(intensity: number): string {
  if (intensity < 1 / 3) return '0x101826';
  if (intensity < 2 / 3) return '0x2a1e0a';
  return '0x360808';
}

/** ffmpeg arguments for one placeholder clip (MP4, H.264 + AAC stereo, exactly `seconds` long). */
export function placeholderClipArgs(input: PlaceholderClipInput): string[] {
  const { width: w, height: h, frameRate: fps, seconds: d } = input;
  const font = quote(input.fontFile);
  const grain = Math.round(Math.min(1, Math.max(0, input.intensity)) * 14);
  const titleSize = Math.max(12, Math.round(h / 10));
  const textSize = Math.max(10, Math.round(h / 22));
  const video =
    `[0:v]${grain > 0 ? `noise=alls=${grain}:allf=t,` : ''}` +
    `drawtext=fontfile=${font}:textfile=${quote(input.titleFile)}:fontsize=${titleSize}:fontcolor=white:` +
    `borderw=2:bordercolor=black:x=(w-tw)/2:y=h*0.18,` +
    `drawtext=fontfile=${font}:textfile=${quote(input.descriptionFile)}:fontsize=${textSize}:fontcolor=0xdddddd:` +
    `line_spacing=${Math.round(textSize / 3)}:x=(w-tw)/2:y=h*0.42,` +
    `drawtext=fontfile=${font}:textfile=${quote(input.labelFile)}:fontsize=${textSize}:fontcolor=0x999999:` +
    `x=(w-tw)/2:y=h*0.86,format=yuv420p[v]`;
  const frequency = 55 + 5 * input.sceneIndex;
  const audio = `[1:a]volume=${placeholderToneVolume(input.intensity)},aformat=channel_layouts=stereo[a]`;
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=c=${background(input.intensity)}:s=${w}x${h}:r=${fps}:d=${d}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${frequency}:sample_rate=48000:duration=${d}`,
    '-filter_complex',
    `${video};${audio}`,
    '-map',
    '[v]',
    '-map',
    '[a]',
    '-t',
    String(d),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '20',
    '-g',
    String(Math.round(fps)),
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-movflags',
    '+faststart',
    input.output,
  ];
}
