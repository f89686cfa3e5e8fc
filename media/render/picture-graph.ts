/**
 * The picture of one variant of a scene as an ffmpeg filtergraph: the scene's plate filmed by a
 * slowly drifting camera, its light flickering, film grain, apparitions in the intense variants,
 * a letterbox, a caption at the start and the machine-readable markers (film-markers.ts). The
 * camera path and the set are the same in every variant, so a switch at any segment boundary
 * changes the light and what lurks in it, never where the camera is.
 */
import { num, quote, windowExpr } from './ffmpeg-expr.js';
import { SPRITE_SIZE } from './figure-graph.js';
import type { FilmScene } from './film-scene.js';
import { markerFilters } from './film-markers.js';
import { PLATE_ASPECT } from './plate-graph.js';

/** Frame geometry shared by every clip of a film. */
export interface FilmFormat {
  width: number;
  height: number;
  frameRate: number;
}

/** The letterboxed picture inside the frame, and the (larger) plate the camera drifts over. */
export function pictureGeometry(format: Pick<FilmFormat, 'width' | 'height'>): {
  pictureWidth: number;
  pictureHeight: number;
  bar: number;
  plateWidth: number;
  plateHeight: number;
} {
  const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);
  const pictureWidth = format.width;
  const pictureHeight = Math.min(format.height, even(format.width / PLATE_ASPECT));
  return {
    pictureWidth,
    pictureHeight,
    bar: (format.height - pictureHeight) / 2,
    plateWidth: even(pictureWidth * 1.08),
    plateHeight: even(pictureHeight * 1.08),
  };
}

/** How a variant of the given intensity (0–1) looks. Pure numbers, so tests can compare them. */
export function pictureLook(intensity: number): {
  brightness: number;
  gamma: number;
  saturation: number;
  contrast: number;
  grain: number;
  flickerDepth: number;
  flickerThreshold: number;
  apparition: 'none' | 'hint' | 'full';
} {
  const i = Math.min(1, Math.max(0, intensity));
  return {
    brightness: -0.01 - 0.03 * i,
    gamma: 1 - 0.1 * i,
    saturation: 1 - 0.35 * i,
    contrast: 1 + 0.12 * i,
    grain: Math.round(2 + 3 * i),
    flickerDepth: 0.03 + 0.2 * i,
    flickerThreshold: 0.6 - 0.3 * i,
    apparition: i >= 0.75 ? 'full' : i >= 0.25 ? 'hint' : 'none',
  };
}

export interface PictureGraphInput {
  scene: FilmScene;
  intensity: number;
  format: FilmFormat;
  /** Input indexes of the plate and the sprites in the ffmpeg command. */
  inputs: { plate: number; figure: number; face: number };
  /** Text files holding the captions (avoids escaping titles in the graph). */
  captionFile: string;
  titleFile?: string;
  fontFile: string;
  titleFontFile: string;
}

/** When the scene caption is shown (seconds): after the film title, if there is one. */
export function captionWindow(scene: Pick<FilmScene, 'filmTitle' | 'seconds'>): {
  title?: [number, number];
  caption: [number, number];
} {
  const end = (t: number): number => Math.min(t, scene.seconds - 0.2);
  return scene.filmTitle
    ? { title: [1, end(6.5)], caption: [7, end(11.5)] }
    : { caption: [0.6, end(5.2)] };
}

/**
 * The filtergraph (for `-filter_complex`) whose output `[v]` is the variant's picture.
 * @example
 * const graph = pictureGraph({ scene, intensity: 1, format: { width: 1280, height: 720, frameRate: 24 }, … });
 */
export function pictureGraph(input: PictureGraphInput): string {
  const { scene, format } = input;
  const look = pictureLook(input.intensity);
  const geo = pictureGeometry(format);
  const frames = Math.round(scene.seconds * format.frameRate);
  const s = format.width / 1280;
  const chains: string[] = [
    `[${input.inputs.plate}:v]format=yuv420p,setsar=1,loop=loop=-1:size=1:start=0,` +
      `setpts=N/(${num(format.frameRate)}*TB),trim=end_frame=${frames}[plate0]`,
  ];

  // Apparitions: the figure (or face) at each scare in the intense variants, a glimpse in the
  // tense ones, and in the most intense one it was already standing there, barely visible.
  interface Showing {
    kind: 'figure' | 'face';
    x: number;
    y: number;
    height: number;
    alpha: number;
    enable: string;
  }
  const showings: Showing[] = [];
  for (const scare of scene.scares) {
    const kind = scare.apparition ?? 'figure';
    const at = scare.at;
    const place = {
      kind,
      x: scare.figure.x,
      y: scare.figure.y,
      height: scare.figure.height,
    };
    if (look.apparition === 'full') {
      // Lingers 1.6 s after the stinger, stuttering with the light as it goes.
      showings.push({
        ...place,
        alpha: 1,
        enable: `between(t,${num(at)},${num(at + 1.6)})*(lt(t,${num(at + 0.9)})+gt(sin(t*47)+sin(t*29),-0.4))`,
      });
      if (kind === 'figure' && at > 9) {
        showings.push({
          ...place,
          alpha: 0.22,
          enable: `between(t,${num(at - 8)},${num(at - 1.6)})*gt(sin(t*3.1)+sin(t*1.3),-1.2)`,
        });
      }
    } else if (look.apparition === 'hint') {
      showings.push({
        ...place,
        alpha: 0.45,
        enable: `between(t,${num(at)},${num(at + 0.8)})*gt(sin(t*41)+sin(t*23),-0.9)`,
      });
    }
  }
  const byKind = (kind: 'figure' | 'face'): Showing[] => showings.filter((x) => x.kind === kind);
  for (const kind of ['figure', 'face'] as const) {
    const list = byKind(kind);
    if (!list.length) continue;
    const idx = input.inputs[kind];
    chains.push(
      `[${idx}:v]format=rgba,split=${list.length}${list.map((_, k) => `[${kind}${k}]`).join('')}`,
    );
  }
  let last = 'plate0';
  const counters = { figure: 0, face: 0 };
  showings.forEach((sh, n) => {
    const k = counters[sh.kind]++;
    const h = Math.max(8, Math.round(sh.height * geo.plateHeight));
    const w = Math.max(
      4,
      Math.round((h * SPRITE_SIZE[sh.kind].width) / SPRITE_SIZE[sh.kind].height),
    );
    const alpha = sh.alpha < 1 ? `,colorchannelmixer=aa=${num(sh.alpha)}` : '';
    chains.push(`[${sh.kind}${k}]scale=${w}:${h}${alpha}[sp${n}]`);
    const x = Math.round(sh.x * geo.plateWidth - w / 2);
    const y = Math.round(sh.y * geo.plateHeight - h);
    chains.push(
      `[${last}][sp${n}]overlay=x=${x}:y=${y}:enable='${sh.enable}':eof_action=repeat[ov${n}]`,
    );
    last = `ov${n}`;
  });

  // Camera: a slow drift over the plate; a jolt at each scare in the intense variants.
  const mx = (geo.plateWidth - geo.pictureWidth) / 2;
  const my = (geo.plateHeight - geo.pictureHeight) / 2;
  const jolt = (amp: number, freq: number): string =>
    look.apparition === 'full' && scene.scares.length
      ? `+${num(amp * s)}*sin(t*${freq})*(${scene.scares.map((sc) => windowExpr('t', sc.at, sc.at + 0.6, 0.05)).join('+')})`
      : '';
  const phase = scene.index * 1.7;
  const cropX = `${num(mx)}+${num(mx - 12 * s)}*sin(2*PI*t/47+${num(phase)})${jolt(10, 90)}`;
  const cropY = `${num(my)}+${num(my - 8 * s)}*sin(2*PI*t/61+${num(phase * 0.6)})${jolt(6, 73)}`;

  // Light: flicker (rarer and shallower when calm), the lights dying before each scare and a
  // flash as it comes, the picture pulsing with the heartbeat in the intense variants.
  const flicker = `-${num(look.flickerDepth)}*gt(sin(t*7.13+${num(phase)})*sin(t*2.71)*sin(t*0.93+${num(phase * 0.3)}),${num(look.flickerThreshold)})`;
  const scares = scene.scares.map((sc) => {
    if (look.apparition === 'full') {
      return `-0.45*${windowExpr('t', sc.at - 1.5, sc.at, 0.3)}+0.5*${windowExpr('t', sc.at, sc.at + 0.09, 0.01)}`;
    }
    if (look.apparition === 'hint')
      return `-0.12*${windowExpr('t', sc.at - 0.8, sc.at + 0.2, 0.2)}`;
    return '';
  });
  const pulse =
    input.intensity > 0.5
      ? `-${num(0.05 * (input.intensity - 0.5))}*pow(max(0,sin(PI*t*${num(scene.heartbeat / 60)})),8)`
      : '';
  const brightness = `${num(look.brightness)}${flicker}${scares.join('')}${pulse}`;

  const captions = captionWindow(scene);
  const fade = ([a, b]: [number, number]): string =>
    `alpha='clip(min((t-${num(a)})/0.8,(${num(b)}-t)/0.8),0,1)':enable='between(t,${num(a)},${num(b)})'`;
  const captionSize = Math.max(10, Math.round(format.height * 0.032));
  const bar = Math.max(geo.bar, captionSize * 2);
  const text: string[] = [
    `drawtext=fontfile=${quote(input.fontFile)}:textfile=${quote(input.captionFile)}:` +
      `fontsize=${captionSize}:fontcolor=0xd9d2c4:x=(w-tw)/2:y=h-${num(bar / 2)}-th/2:${fade(captions.caption)}`,
  ];
  if (captions.title && input.titleFile) {
    text.unshift(
      `drawtext=fontfile=${quote(input.titleFontFile)}:textfile=${quote(input.titleFile)}:` +
        `fontsize=${Math.round(format.height * 0.075)}:fontcolor=0xe8e0d0:shadowcolor=black@0.8:` +
        `shadowx=${Math.max(1, Math.round(format.height / 360))}:shadowy=${Math.max(1, Math.round(format.height / 360))}:` +
        `x=(w-tw)/2:y=${num(geo.bar)}+${num(geo.pictureHeight * 0.22)}-th/2:${fade(captions.title)}`,
    );
  }

  chains.push(
    `[${last}]crop=${geo.pictureWidth}:${geo.pictureHeight}:'${cropX}':'${cropY}',` +
      `eq=brightness='${brightness}':contrast=${num(look.contrast)}:gamma=${num(look.gamma)}:` +
      `saturation=${num(look.saturation)}:eval=frame,` +
      `noise=alls=${look.grain}:allf=t,` +
      `pad=${format.width}:${format.height}:0:${num(geo.bar)}:black,` +
      `${text.join(',')},` +
      `${markerFilters({ width: format.width, height: format.height, intensity: input.intensity, sceneIndex: scene.index }).join(',')},` +
      `setsar=1,format=yuv420p[v]`,
  );
  return chains.join(';');
}
