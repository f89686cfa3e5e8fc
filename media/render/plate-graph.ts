/**
 * The still "set" of a scene, painted once per scene by ffmpeg's geq filter: a dark interior in
 * one-point perspective (a box tunnel: walls, floor, ceiling, lamps at intervals, doors, a lit
 * opening at the far end) or the building's exterior at night, with fog and a lens vignette. Every
 * variant of the scene is filmed on this plate, so a variant switch never changes the set.
 */
import { num } from './ffmpeg-expr.js';

/** The sets of the demo film; theme stories pick one by mood (see film-scene.ts). */
export const SETTINGS = [
  'exterior',
  'lobby',
  'basement',
  'boiler',
  'stairs',
  'attic',
  'corridor',
  'exit',
  'doorway',
] as const;
export type Setting = (typeof SETTINGS)[number];

type Rgb = readonly [number, number, number];

/** Plates are painted for a 2.39:1 picture (the film is letterboxed in its 16:9 frame). */
export const PLATE_ASPECT = 2.39;

/** A box tunnel seen from inside, looking down its axis. */
interface Tunnel {
  /** Vanishing point, fractions of the frame. */
  vx: number;
  vy: number;
  /** Half-width and half-height of the cross-section at depth 1, in frame heights. */
  hw: number;
  hh: number;
  /** Depth of the far wall (depth 1 = the frame edge). */
  end: number;
  ambient: number;
  /** Ceiling lamps every `period` depth units from `phase`, up to `lamps` of them. */
  lamp: { period: number; phase: number; gain: number; lamps: number };
  /** Depth over which light falls off. */
  fog: number;
  doors?: { period: number; phase: number; width: number; height: number };
  /** An opening in the far wall (door or window), lit from behind. */
  opening?: { x: number; y: number; w: number; h: number; glow: number; cross?: boolean };
  /** Stair nosings on the floor, per depth unit. */
  steps?: number;
  /** Pipes along the ceiling at these lateral positions (−1…1). */
  pipes?: number[];
  /** Roof slope: the ceiling becomes a gable (attic). */
  gable?: number;
  /** Rafters across the ceiling, per depth unit. */
  beams?: number;
  /** Light from the far opening washing the surfaces near it (moonlight, dawn). */
  wash?: number;
  /** Floorboards across the floor (count across its width). */
  boards?: number;
  shadow: Rgb;
  light: Rgb;
  glowColour: Rgb;
}

/** Extra light sources and dark shapes, in frame fractions. */
interface Extra {
  /** A glow adds light, a dark shape takes it away, a drum is a dark cylinder with lit rims. */
  kind: 'glow' | 'dark' | 'drum';
  x: number;
  y: number;
  rx: number;
  ry: number;
  gain: number;
  colour?: Rgb;
  /** Hard-edged box instead of a soft ellipse. */
  box?: boolean;
}

interface Plate {
  tunnel?: Tunnel;
  extras: Extra[];
  vignette: number;
}

const FLUORESCENT: Rgb = [0.82, 1, 0.86];
const TEAL: Rgb = [0.3, 0.46, 0.58];
const SODIUM: Rgb = [1, 0.72, 0.42];
const BULB: Rgb = [1, 0.8, 0.55];
const MOON: Rgb = [0.62, 0.76, 1];
const EMBER: Rgb = [1, 0.45, 0.16];
const BLOOD: Rgb = [0.7, 0.16, 0.14];

const PLATES: Record<Setting, Plate> = {
  exterior: { extras: [], vignette: 1.1 },
  lobby: {
    tunnel: {
      vx: 0.52,
      vy: 0.5,
      hw: 1.15,
      hh: 0.5,
      end: 3.4,
      ambient: 0.05,
      lamp: { period: 1.6, phase: 1.1, gain: 0.42, lamps: 2 },
      fog: 4,
      opening: { x: -0.2, y: 0.25, w: 0.16, h: 0.72, glow: 0.5 },
      shadow: [0.34, 0.42, 0.4],
      light: [0.95, 1, 0.78],
      glowColour: [0.9, 0.95, 0.75],
    },
    extras: [
      // Reception desk: a dark slab, its lamp, the lift's floor indicator.
      { kind: 'dark', x: 0.62, y: 0.7, rx: 0.17, ry: 0.09, gain: 0.85, box: true },
      { kind: 'glow', x: 0.7, y: 0.6, rx: 0.035, ry: 0.05, gain: 0.55, colour: [0.5, 1, 0.55] },
      { kind: 'glow', x: 0.465, y: 0.33, rx: 0.012, ry: 0.012, gain: 0.9, colour: EMBER },
    ],
    vignette: 1.2,
  },
  basement: {
    tunnel: {
      vx: 0.47,
      vy: 0.4,
      hw: 0.85,
      hh: 0.32,
      end: 11,
      ambient: 0.045,
      lamp: { period: 5, phase: 2.2, gain: 1.1, lamps: 1 },
      fog: 4.5,
      pipes: [-0.55, -0.35, 0.6],
      shadow: [0.35, 0.38, 0.45],
      light: BULB,
      glowColour: BULB,
    },
    extras: [{ kind: 'glow', x: 0.47, y: 0.25, rx: 0.018, ry: 0.03, gain: 1.4, colour: BULB }],
    vignette: 1.5,
  },
  boiler: {
    tunnel: {
      vx: 0.4,
      vy: 0.42,
      hw: 0.95,
      hh: 0.45,
      end: 4.2,
      ambient: 0.03,
      lamp: { period: 4, phase: 30, gain: 0, lamps: 0 },
      fog: 3,
      pipes: [-0.7, -0.4, 0.2],
      shadow: [0.4, 0.3, 0.3],
      light: EMBER,
      glowColour: EMBER,
    },
    extras: [
      // Firelight on the back wall, the boiler's drum against it, its furnace door glowing.
      { kind: 'glow', x: 0.6, y: 0.55, rx: 0.32, ry: 0.45, gain: 0.45, colour: EMBER },
      { kind: 'dark', x: 0.6, y: 0.07, rx: 0.012, ry: 0.1, gain: 0.8, box: true },
      { kind: 'dark', x: 0.68, y: 0.07, rx: 0.01, ry: 0.1, gain: 0.8, box: true },
      { kind: 'drum', x: 0.64, y: 0.52, rx: 0.11, ry: 0.36, gain: 0.93, colour: EMBER, box: true },
      { kind: 'glow', x: 0.64, y: 0.74, rx: 0.035, ry: 0.04, gain: 1.2, colour: EMBER, box: true },
      { kind: 'dark', x: 0.64, y: 0.74, rx: 0.035, ry: 0.004, gain: 0.7, box: true },
      { kind: 'glow', x: 0.64, y: 0.8, rx: 0.2, ry: 0.08, gain: 0.3, colour: EMBER },
    ],
    vignette: 1.4,
  },
  stairs: {
    tunnel: {
      vx: 0.5,
      vy: 0.24,
      hw: 0.85,
      hh: 0.6,
      end: 7,
      ambient: 0.06,
      lamp: { period: 3.2, phase: 1.8, gain: 0.75, lamps: 1 },
      fog: 6,
      steps: 2.2,
      wash: 0.25,
      opening: { x: 0, y: -0.1, w: 0.22, h: 0.5, glow: 0.85, cross: true },
      shadow: [0.32, 0.4, 0.55],
      light: MOON,
      glowColour: MOON,
    },
    extras: [],
    vignette: 1.3,
  },
  attic: {
    tunnel: {
      vx: 0.5,
      vy: 0.46,
      hw: 0.8,
      hh: 0.5,
      end: 6,
      ambient: 0.05,
      lamp: { period: 1.5, phase: 0.3, gain: 0, lamps: 0 },
      fog: 6,
      gable: 0.9,
      beams: 1.2,
      wash: 0.45,
      boards: 9,
      opening: { x: 0.05, y: -0.15, w: 0.18, h: 0.22, glow: 1.1, cross: true },
      shadow: [0.3, 0.36, 0.5],
      light: MOON,
      glowColour: MOON,
    },
    extras: [
      { kind: 'glow', x: 0.51, y: 0.45, rx: 0.05, ry: 0.12, gain: 0.25, colour: MOON },
      { kind: 'glow', x: 0.52, y: 0.8, rx: 0.1, ry: 0.06, gain: 0.25, colour: MOON },
    ],
    vignette: 1.4,
  },
  corridor: {
    tunnel: {
      vx: 0.5,
      vy: 0.45,
      hw: 0.75,
      hh: 0.42,
      end: 10,
      ambient: 0.04,
      lamp: { period: 3, phase: 1.3, gain: 0.6, lamps: 3 },
      fog: 7,
      doors: { period: 3, phase: 0.15, width: 1.1, height: 0.78 },
      opening: { x: 0, y: 0.2, w: 0.3, h: 0.78, glow: 0.85 },
      shadow: TEAL,
      light: FLUORESCENT,
      glowColour: [0.85, 0.95, 0.8],
    },
    extras: [],
    vignette: 1.3,
  },
  exit: {
    tunnel: {
      vx: 0.5,
      vy: 0.44,
      hw: 0.6,
      hh: 0.42,
      end: 5,
      ambient: 0.04,
      lamp: { period: 2.5, phase: 1.4, gain: 0.2, lamps: 1 },
      fog: 5,
      opening: { x: 0, y: 0.12, w: 0.42, h: 0.76, glow: 1.15 },
      shadow: [0.35, 0.42, 0.5],
      light: [1, 0.86, 0.66],
      glowColour: [1, 0.82, 0.6],
    },
    extras: [
      {
        kind: 'glow',
        x: 0.5,
        y: 0.31,
        rx: 0.028,
        ry: 0.014,
        gain: 1.2,
        colour: [0.3, 1, 0.45],
        box: true,
      },
    ],
    vignette: 1.2,
  },
  doorway: {
    tunnel: {
      vx: 0.5,
      vy: 0.46,
      hw: 0.62,
      hh: 0.44,
      end: 2.6,
      ambient: 0.03,
      lamp: { period: 2, phase: 0.9, gain: 0.5, lamps: 1 },
      fog: 3,
      opening: { x: 0, y: 0.12, w: 0.38, h: 0.76, glow: -1 },
      shadow: [0.4, 0.3, 0.32],
      light: [0.9, 0.85, 0.8],
      glowColour: BLOOD,
    },
    extras: [],
    vignette: 1.5,
  },
};

/** Registers: 0 dx, 1 dy, 2 r, 3 depth, 4 on side wall, 5 surface coordinate, 6 intensity, 7–9 scratch. */
function tunnelIntensity(t: Tunnel): string {
  const { hw, hh } = t;
  const P = t.lamp.period;
  const lampsEnd = t.lamp.phase + P * (t.lamp.lamps - 0.5);
  // A lamp's pool of light along the depth axis, zero beyond the last lamp.
  const pool = (power: number): string =>
    `pow(max(0,cos(2*PI*(ld(3)-${num(t.lamp.phase)})/${num(P)})),${num(power)})*lt(ld(3),${num(lampsEnd)})`;
  const parts: string[] = [`st(0,(X/W-${num(t.vx)})*W/H)`, `st(1,Y/H-${num(t.vy)})`];
  // A gable roof: above the vanishing point the ceiling slopes down to the walls.
  const ceil = t.gable
    ? `(-ld(1)+abs(ld(0))*${num(t.gable * (hh / hw))})/${num(hh * (1 + t.gable))}`
    : `-ld(1)/${num(hh)}`;
  parts.push(
    `st(2,max(abs(ld(0))/${num(hw)},max(ld(1)/${num(hh)},${ceil})))`,
    `st(3,1/max(ld(2),0.001))`,
    `st(4,gte(abs(ld(0))/${num(hw)},max(ld(1)/${num(hh)},${ceil})))`,
    `st(5,if(ld(4),ld(1)/(ld(2)*${num(hh)}),ld(0)/(ld(2)*${num(hw)})))`,
  );
  const g = num(t.lamp.gain);
  // Surfaces: ceiling (with the lamp fittings), floor (with a sheen under each lamp), walls.
  let floor = `${g}*${pool(3)}*(0.9-0.35*abs(ld(5)))+${num(t.lamp.gain * 0.5)}*${pool(24)}*max(0,1-abs(ld(5))/0.3)`;
  if (t.steps) {
    floor = `(${floor}+0.05)*(0.45+0.75*pow(1-abs(mod(ld(3)*${num(t.steps)},1)-0.5)*2,6))`;
  }
  const ceiling = `${num(t.lamp.gain * 0.45)}*${pool(3)}+${num(t.lamp.gain * 3)}*${pool(60)}*lt(abs(ld(5)),0.16)`;
  let wall = `${g}*${pool(3)}*(0.7-0.3*ld(5))`;
  if (t.doors) {
    const d = t.doors;
    const f = `mod(ld(3)-${num(d.phase)}+100*${num(d.period)},${num(d.period)})`;
    const inDoor = `lt(${f},${num(d.width)})*gt(ld(5),${num(1 - 2 * d.height)})*lt(ld(3),${num(t.end - 1)})`;
    const edge = `(lt(${f},0.08)+between(${f},${num(d.width - 0.08)},${num(d.width)}))`;
    wall = `(${wall})*(1-${inDoor}*(0.62-0.9*${edge}))`;
  }
  let ceilingLit = ceiling;
  if (t.beams) {
    ceilingLit = `(${ceiling}+0.05)*(1-0.8*lt(mod(ld(3)*${num(t.beams)},1),0.22))`;
  }
  if (t.boards) {
    floor = `(${floor}+0.04)*(0.7+0.3*pow(abs(sin(ld(5)*${num(t.boards)}*PI/2)),0.4))`;
  }
  let surfaces = `if(ld(4),${wall},if(gt(ld(1),0),${floor},${ceilingLit}))`;
  if (t.wash) {
    surfaces = `${surfaces}+${num(t.wash)}*exp(-(${num(t.end)}-ld(3))/1.6)*(0.6+0.4*gt(ld(1),0))`;
  }
  if (t.pipes?.length) {
    const pipes = t.pipes.map((p) => `max(0,1-abs(ld(5)-${num(p)})/0.035)`).join('+');
    surfaces = `if(ld(4)+gt(ld(1),0),${surfaces},${surfaces}*(1-0.6*min(1,${pipes}))+(0.05+${num(t.lamp.gain * 0.5)}*${pool(2)})*min(1,${pipes}))`;
  }
  // Grime: slow interference of sines across the surfaces.
  const grime = `(0.82+0.18*sin(ld(3)*7.3+ld(5)*11)*sin(ld(3)*2.1-ld(5)*5.3))`;
  const near = `(${num(t.ambient)}+(${surfaces})*${grime})*exp(-(ld(3)-1)/${num(t.fog)})`;
  // The far wall, and the opening in it.
  const ex = `(ld(0)*${num(t.end)}/${num(hw)})`;
  const ey = `(ld(1)*${num(t.end)}/${num(hh)})`;
  let far = `${num(t.ambient * 0.6)}*exp(-(${num(t.end)}-1)/${num(t.fog)})`;
  if (t.opening) {
    const o = t.opening;
    const inside = `lt(abs(${ex}-${num(o.x)}),${num(o.w)})*lt(abs(${ey}-${num(o.y)}),${num(o.h)})`;
    const bars = o.cross
      ? `*(1-0.85*(lt(abs(${ex}-${num(o.x)}),${num(o.w * 0.08)})+lt(abs(${ey}-${num(o.y)}),${num(o.h * 0.08)})))`
      : '';
    far =
      o.glow >= 0
        ? `${far}+${num(o.glow)}*${inside}${bars}*(1-0.35*abs(${ex}-${num(o.x)})/${num(o.w)})`
        : `${far}*(1-${inside})`;
  }
  parts.push(`st(6,if(lt(ld(3),${num(t.end)}),${near},${far}))`);
  // Halo around the opening, in screen space, so its light spills into the fog.
  if (t.opening && t.opening.glow > 0) {
    const o = t.opening;
    const cx = t.vx + (o.x * hw) / t.end / PLATE_ASPECT;
    const cy = t.vy + (o.y * hh) / t.end;
    const rx = Math.max(0.02, ((o.w * hw) / t.end / PLATE_ASPECT) * 2.2);
    const ry = Math.max(0.03, ((o.h * hh) / t.end) * 1.6);
    parts.push(
      `st(6,ld(6)+${num(o.glow * 0.22)}*exp(-(pow((X/W-${num(cx)})/${num(rx)},2)+pow((Y/H-${num(cy)})/${num(ry)},2))))`,
    );
  }
  return parts.join(';');
}

function extraExpr(e: Extra, channel: 0 | 1 | 2, tint: Rgb): string {
  const shape = e.box
    ? `lt(abs(X/W-${num(e.x)}),${num(e.rx)})*lt(abs(Y/H-${num(e.y)}),${num(e.ry)})`
    : `exp(-(pow((X/W-${num(e.x)})/${num(e.rx)},2)+pow((Y/H-${num(e.y)})/${num(e.ry)},2)))`;
  if (e.kind === 'dark') return `st(7,ld(7)*(1-${num(e.gain)}*${shape}))`;
  if (e.kind === 'drum') {
    // Dark, but its curved flanks catch the light behind it; riveted bands across it.
    const u = `((X/W-${num(e.x)})/${num(e.rx)})`;
    const rim = (e.colour ?? tint)[channel];
    return (
      `st(7,if(${shape},ld(7)*${num(1 - e.gain)}+${num(0.5 * rim)}*pow(abs(${u}),5)` +
      `*(0.8+0.2*lt(abs(mod(Y/H,0.11)-0.055),0.006))+0.02,ld(7)))`
    );
  }
  const c = (e.colour ?? tint)[channel];
  return `st(7,ld(7)+${num(e.gain * c)}*${shape})`;
}

/** The exterior: sky with a veiled moon, the building's dark mass and its windows, the lit entrance, a street lamp. */
function exteriorChannel(channel: 0 | 1 | 2): string {
  const sky = ([0.16, 0.22, 0.34] as const)[channel];
  const sodium = SODIUM[channel];
  const lobby = ([0.75, 0.92, 0.85] as const)[channel];
  const moon = MOON[channel];
  const mist = ([0.7, 0.8, 1] as const)[channel];
  return [
    // Sky: darker upwards, with slow cloud bands; the moon behind them.
    `st(7,${num(sky)}*(0.25+0.75*Y/H)*(0.7+0.3*sin(X/W*9+Y/H*21)*sin(X/W*3.1-Y/H*13)))`,
    `st(7,ld(7)+${num(0.55 * moon)}*exp(-(pow((X/W-0.83)/0.05,2)+pow((Y/H-0.16)/0.1,2)))+${num(0.2 * moon)}*exp(-(pow((X/W-0.83)/0.2,2)+pow((Y/H-0.16)/0.4,2))))`,
    // The building: x 0.18–0.82, from y 0.12 down to the ground at 0.8.
    `st(8,between(X/W,0.18,0.82)*between(Y/H,0.12,0.8))`,
    `st(7,ld(7)*(1-0.92*ld(8)))`,
    // Windows: a grid, most dark, a few faintly lit; one lit window high on the left.
    `st(9,ld(8)*lt(mod(X/W-0.2,0.07),0.035)*lt(mod(Y/H-0.16,0.13),0.07)*lt(Y/H,0.58))`,
    `st(7,ld(7)+ld(9)*(0.018+0.05*gt(sin(floor(X/W/0.07)*12.9+floor(Y/H/0.13)*7.7),0.75)))`,
    `st(7,ld(7)+${num(0.55 * SODIUM[channel])}*between(X/W,0.27,0.305)*between(Y/H,0.16,0.23))`,
    // The entrance: glass doors lit from the lobby, their frames, the glow on the wet ground.
    `st(9,between(X/W,0.43,0.57)*between(Y/H,0.52,0.8))`,
    `st(7,ld(7)+${num(0.85 * lobby)}*ld(9)*(1-0.8*lt(abs(X/W-0.5),0.006))*(0.75+0.25*(Y/H-0.52)/0.28))`,
    `st(7,ld(7)+${num(0.3 * lobby)}*exp(-(pow((X/W-0.5)/0.12,2)+pow((Y/H-0.66)/0.2,2))))`,
    `st(7,ld(7)+${num(0.4 * lobby)}*gt(Y/H,0.8)*exp(-pow((X/W-0.5)/0.06,2)-(Y/H-0.8)/0.12))`,
    // Ground: wet asphalt, a sodium street lamp on the left and its pool of light.
    `st(7,if(gt(Y/H,0.8),ld(7)*0.3+0.02,ld(7)))`,
    `st(7,ld(7)+${num(0.6 * sodium)}*exp(-(pow((X/W-0.08)/0.08,2)+pow((Y/H-0.92)/0.06,2)))+${num(1.2 * sodium)}*exp(-(pow((X/W-0.085)/0.012,2)+pow((Y/H-0.2)/0.02,2)))+${num(0.25 * sodium)}*exp(-(pow((X/W-0.085)/0.07,2)+pow((Y/H-0.25)/0.18,2))))`,
    `st(7,ld(7)+0.03*between(X/W,0.083,0.087)*between(Y/H,0.2,0.85))`,
    // Low mist over the ground.
    `st(7,ld(7)+${num(0.05 * mist)}*exp(-pow((Y/H-0.78)/0.1,2)))`,
  ].join(';');
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/** geq expressions (r, g, b) of a setting's plate. */
export function plateExpressions(setting: Setting): { r: string; g: string; b: string } {
  const plate = PLATES[setting];
  const vignette = `(1-${num(0.5 * plate.vignette)}*(pow(X/W-0.5,2)*1.7+pow(Y/H-0.5,2)*2.4))`;
  const channel = (c: 0 | 1 | 2): string => {
    const t = plate.tunnel;
    let body: string;
    if (t) {
      // Shadows take the ambient colour, highlights the lamps' colour.
      body =
        `${tunnelIntensity(t)};` +
        `st(7,ld(6)*(${num(t.shadow[c])}+${num(t.light[c] - t.shadow[c])}*min(1,ld(6)*2.6)))`;
      for (const e of plate.extras) body += `;${extraExpr(e, c, t.glowColour)}`;
    } else {
      body = exteriorChannel(c);
    }
    return `${body};clip(255*pow(max(0,1.35*ld(7)*${vignette}),0.8),0,255)`;
  };
  return { r: channel(0), g: channel(1), b: channel(2) };
}

/**
 * ffmpeg arguments that paint a setting's plate (PNG, `width`×`height`). The expressions are
 * evaluated at half size and scaled up (bicubic): the plate is soft anyway, and geq, per pixel and
 * on one thread (its `st()` registers are shared between slices), is the costly part.
 */
export function plateArgs(input: {
  setting: Setting;
  width: number;
  height: number;
  output: string;
}): string[] {
  const e = plateExpressions(input.setting);
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-filter_threads',
    '1',
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${even(input.width / 2)}x${even(input.height / 2)}:d=1,format=gbrp`,
    '-vf',
    `geq=r='${e.r}':g='${e.g}':b='${e.b}',scale=${input.width}:${input.height}:flags=bicubic,setsar=1,format=rgb24`,
    '-frames:v',
    '1',
    input.output,
  ];
}
