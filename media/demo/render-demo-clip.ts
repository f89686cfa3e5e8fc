/**
 * Rendering one synthetic source clip of the demo film with ffmpeg: a coloured background per
 * variant, a moving bar (so there is motion to encode), film grain for the tense and scare
 * variants, two 64×64 marker blocks (variant colour top-left, scene grey top-right), a caption
 * naming scene and variant, and a drone whose loudness and dissonance follow the intensity.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  DEMO_CLIP_SECONDS,
  DEMO_FRAME_RATE,
  DEMO_HEIGHT,
  DEMO_LEVEL_MARKERS,
  DEMO_WIDTH,
  demoSceneGrey,
} from './demo-script.js';

export type DemoLevel = keyof typeof DEMO_LEVEL_MARKERS;

/** Path of DejaVu Sans Bold from the `dejavu-fonts-ttf` npm package. */
export function demoFontPath(): string {
  const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  return join(dirname(pkg), 'ttf', 'DejaVuSans-Bold.ttf');
}

function hex(rgb: readonly [number, number, number]): string {
  return `0x${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Quotes a value inside an ffmpeg filtergraph option (only `'` needs care inside quotes). */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const BACKGROUND: Record<DemoLevel, string> = {
  calm: '0x0c1838',
  tense: '0x2e2008',
  scare: '0x380a0a',
};

/** Drone expressions per level, `F` = the scene's base frequency. */
function audioExpr(level: DemoLevel, f: number): string {
  switch (level) {
    case 'calm':
      return `0.08*sin(2*PI*${f}*t)+0.04*sin(2*PI*${f * 1.5}*t)`;
    case 'tense':
      return `(0.2+0.1*sin(2*PI*1.3*t))*sin(2*PI*${f}*t)+0.12*sin(2*PI*${(f * 1.06).toFixed(2)}*t)`;
    case 'scare':
      return (
        `0.3*sin(2*PI*${f * 2}*t)+0.22*sin(2*PI*${(f * 2.12).toFixed(2)}*t)` +
        `+0.15*sin(2*PI*${(f * 2.83).toFixed(2)}*t)+0.08*(2*random(0)-1)`
      );
  }
}

/**
 * ffmpeg arguments for one demo source clip (MP4, H.264 + AAC, exactly DEMO_CLIP_SECONDS long).
 * `captionFile` is a text file holding the caption (avoids filtergraph escaping of titles).
 */
export function demoClipArgs(input: {
  sceneIndex: number;
  level: DemoLevel;
  captionFile: string;
  fontFile: string;
  output: string;
}): string[] {
  const d = DEMO_CLIP_SECONDS;
  const size = `${DEMO_WIDTH}x${DEMO_HEIGHT}`;
  const grey = demoSceneGrey(input.sceneIndex);
  const f = 55 + 5 * input.sceneIndex;
  const expr = audioExpr(input.level, f);
  const grain = { calm: '', tense: 'noise=alls=10,', scare: 'noise=alls=22,' }[input.level];
  const font = quote(input.fontFile);
  const video =
    `[0:v][1:v]overlay=x='mod(t*110,W+24)-24':y=0:shortest=1,${grain}` +
    `drawbox=x=0:y=0:w=64:h=64:color=${hex(DEMO_LEVEL_MARKERS[input.level])}@1:t=fill,` +
    `drawbox=x=iw-64:y=0:w=64:h=64:color=${hex([grey, grey, grey])}@1:t=fill,` +
    `drawtext=fontfile=${font}:textfile=${quote(input.captionFile)}:fontsize=26:fontcolor=white:` +
    `line_spacing=10:borderw=2:bordercolor=black:x=(w-tw)/2:y=(h-th)/2+20,format=yuv420p[v]`;
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=c=${BACKGROUND[input.level]}:s=${size}:r=${DEMO_FRAME_RATE}:d=${d}`,
    '-f',
    'lavfi',
    '-i',
    `color=c=0x505050:s=24x${DEMO_HEIGHT}:r=${DEMO_FRAME_RATE}:d=${d}`,
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=exprs='${expr}|${expr}':s=48000:d=${d}`,
    '-filter_complex',
    video,
    '-map',
    '[v]',
    '-map',
    '2:a',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '16',
    '-g',
    String(DEMO_FRAME_RATE),
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    input.output,
  ];
}
