/**
 * The sound of a scene as ffmpeg filtergraphs. A scene's stems are generated once, from
 * deterministic sources (fixed noise seeds, whole-hertz oscillators starting at phase 0), into one
 * multichannel file; every variant is a mix of those very samples:
 *
 *  - a bed shared at the same level by every variant: room tone (brown noise, left and right),
 *    air (band-passed pink noise) and the set's ambience (wind, lamp hum, drips, a furnace, steps
 *    overhead, creaking beams, birds at dawn, breathing);
 *  - variant layers, weighted by intensity: a consonant pad, a beating dissonance, a high string
 *    cluster, a sub rumble, a heartbeat and the stingers on each scare. The drones fall silent
 *    for about a second and a half before each scare (the hush makes the stinger land).
 *
 * A switch between variants at a segment boundary therefore only changes the gains of signals
 * that continue in phase: no gap, no phase jump, no click (measured on the decoded AAC by
 * test/integration/film-splice.test.ts). Loudness is normalised to EBU R128 (integrated loudness
 * per ITU-R BS.1770): while the stems are written, ffmpeg's ebur128 filter meters the bed and each
 * variant's layers (stemsGraph); the bed is set to BED_LUFS and the layers' gain is solved so the
 * variant reaches loudnessTarget() (loudness.ts layerGainDb); a limiter keeps the true peak under
 * −1 dBTP after AAC encoding (mixGraph).
 */
import { num } from './ffmpeg-expr.js';
import type { Ambience, FilmScene } from './film-scene.js';

export const SAMPLE_RATE = 48000;

/** Loudness of the shared bed, LUFS. */
export const BED_LUFS = -39;

/**
 * Integrated loudness of a variant (EBU R128, LUFS) by intensity: calm −27, tense −21.5,
 * scare −16, so calm and scare are 11 LU apart.
 */
export function loudnessTarget(intensity: number): number {
  const i = Math.min(1, Math.max(0, intensity));
  return Math.round((-27 + 11 * i) * 10) / 10;
}

/**
 * Sample-peak ceiling of the limiter (−3 dBFS): inter-sample peaks and the AAC encode add up to
 * ~1.5 dB on transients, and the true peak must stay under −1 dBTP.
 */
export const LIMIT_DBFS = -3;

/** The stems, in the order of the stems file's channels. */
export const STEMS = [
  'roomL',
  'roomR',
  'air',
  'amb',
  'pad',
  'diss',
  'strings',
  'sub',
  'heart',
  'sting',
] as const;
export type Stem = (typeof STEMS)[number];
type BedStem = 'roomL' | 'roomR' | 'air' | 'amb';
type Layer = Exclude<Stem, BedStem>;

const smooth = (a: number, b: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

/**
 * Weights of the variant layers at an intensity (before loudness normalisation). Calm is the pad
 * alone; tense adds the dissonance, a faint heartbeat and distant stingers; scare everything.
 */
export function layerWeights(intensity: number): Record<Layer, number> {
  const i = Math.min(1, Math.max(0, intensity));
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    pad: r(1 - 0.45 * i),
    diss: r(0.9 * smooth(0.15, 0.6, i)),
    strings: r(0.7 * smooth(0.55, 1, i)),
    sub: r(0.6 * smooth(0.4, 1, i)),
    heart: r(0.9 * smooth(0.3, 0.95, i)),
    sting: r(1 * smooth(0.35, 1, i)),
  };
}

/** Bed weights (left, right) per bed stem. */
const BED: Record<BedStem, [number, number]> = {
  roomL: [1, 0],
  roomR: [0, 1],
  air: [0.5, 0.45],
  amb: [0.8, 0.7],
};

/**
 * Ends a mono chain: anoisesrc and the biquad filters of this ffmpeg leave the channel layout
 * unset, which amerge and amultiply refuse.
 */
const MONO = 'aformat=channel_layouts=mono';

function noise(colour: string, seed: number, d: number): string {
  return `anoisesrc=c=${colour}:seed=${seed}:r=${SAMPLE_RATE}:d=${num(d)}`;
}

function expr(e: string, d: number, rate = SAMPLE_RATE): string {
  return `aevalsrc=exprs='${e}':c=mono:s=${rate}:d=${num(d)}`;
}

/**
 * A pattern of `period` seconds (an expression of t) computed once and looped for `d` seconds:
 * aevalsrc costs per sample, a loop costs nothing.
 */
export function looped(e: string, period: number, d: number): string {
  const n = Math.round(period * SAMPLE_RATE);
  return (
    `${expr(e, period + 0.1)},atrim=end_sample=${n},aloop=loop=-1:size=${n},` +
    `atrim=end_sample=${Math.round(d * SAMPLE_RATE)},asetpts=N/SR/TB`
  );
}

/**
 * A slowly varying gain, computed at 1 kHz and resampled (`aresample`): per-sample evaluation at
 * 48 kHz would cost 48 times more for the same curve.
 */
function envelope(e: string, d: number): string {
  return `${expr(e, d, 1000)},aresample=${SAMPLE_RATE},atrim=end_sample=${Math.round(d * SAMPLE_RATE)}`;
}

/** A short event inside a looped pattern: `body` (of τ, seconds since `at`) for `length` s. */
function event(at: number, length: number, body: (tau: string) => string): string {
  return `if(between(t,${num(at)},${num(at + length)}),${body(`(t-${num(at)})`)},0)`;
}

/** The set's ambience as one mono chain (ends unlabelled), `d` seconds. */
export function ambienceChain(ambience: Ambience, d: number, seed: number): string {
  const n = (colour: string, k: number): string => noise(colour, seed + k, d);
  switch (ambience) {
    case 'wind':
      return (
        `${n('pink', 20)},bandpass=f=420:width_type=q:w=0.8,tremolo=f=0.13:d=0.75,${MONO}[amb1];` +
        `${n('pink', 21)},bandpass=f=1150:width_type=q:w=1.2,tremolo=f=0.21:d=0.85,${MONO}[amb2];` +
        `[amb1][amb2]amerge=inputs=2,pan=mono|c0=0.9*c0+0.35*c1`
      );
    case 'hum':
      // Fluorescent tubes: mains buzz at 100 Hz and its harmonics, a faint ballast whine.
      return (
        `sine=f=100:r=${SAMPLE_RATE}:d=${num(d)}[amb1];sine=f=200:r=${SAMPLE_RATE}:d=${num(d)}[amb2];` +
        `${n('pink', 20)},bandpass=f=4000:width_type=q:w=3,${MONO}[amb3];` +
        `[amb1][amb2][amb3]amerge=inputs=3,pan=mono|c0=0.18*c0+0.08*c1+0.12*c2`
      );
    case 'drips': {
      const plink = (at: number, pitch: number): string =>
        event(
          at,
          0.3,
          (tau) => `0.6*sin(2*PI*(${pitch}+900*exp(-30*${tau}))*${tau})*exp(-35*${tau})`,
        );
      return (
        `${looped(`${plink(0.3, 1700)}+${plink(3.1, 2100)}+${plink(5.6, 1450)}+${plink(6.9, 1900)}`, 7.9, d)},` +
        `aecho=0.6:0.5:90|170:0.35|0.2,${MONO}[amb1];` +
        `${n('brown', 20)},lowpass=f=90,${MONO}[amb2];` +
        `[amb1][amb2]amerge=inputs=2,pan=mono|c0=0.5*c0+0.8*c1`
      );
    }
    case 'furnace':
      return (
        `${n('brown', 20)},lowpass=f=220,tremolo=f=0.6:d=0.45,${MONO}[amb1];` +
        `sine=f=31:r=${SAMPLE_RATE}:d=${num(d)}[amb2];` +
        `[amb1][amb2]amerge=inputs=2,pan=mono|c0=1.2*c0+0.2*c1`
      );
    case 'steps': {
      // Someone walking overhead: seven steps, then nothing; muffled by the floor.
      const step = (at: number): string =>
        event(
          at,
          0.4,
          (tau) => `sin(2*PI*70*${tau})*exp(-22*${tau})+0.4*sin(2*PI*140*${tau})*exp(-40*${tau})`,
        );
      const steps = Array.from({ length: 7 }, (_, k) => step(0.5 + 0.72 * k)).join('+');
      return (
        `${looped(steps, 11, d)},lowpass=f=300,${MONO}[amb1];` +
        `${n('pink', 20)},bandpass=f=300:width_type=q:w=0.7,tremolo=f=0.1:d=0.6,${MONO}[amb2];` +
        `[amb1][amb2]amerge=inputs=2,pan=mono|c0=0.9*c0+0.4*c1`
      );
    }
    case 'creaks': {
      const creak = (at: number, pitch: number): string =>
        event(
          at,
          0.9,
          (tau) =>
            `sin(2*PI*(${pitch}+70*${tau})*${tau})*(0.5+0.5*sin(2*PI*31*${tau}))*sin(PI*${tau}/0.9)`,
        );
      return (
        `${looped(`${creak(0.8, 150)}+${creak(4.9, 120)}`, 8.3, d)},bandpass=f=600:width_type=q:w=0.9,${MONO}[amb1];` +
        `${n('pink', 20)},bandpass=f=520:width_type=q:w=0.8,tremolo=f=0.11:d=0.8,${MONO}[amb2];` +
        `[amb1][amb2]amerge=inputs=2,pan=mono|c0=0.5*c0+0.5*c1`
      );
    }
    case 'dawn': {
      const chirp = (at: number, from: number, slide: number): string =>
        event(at, 0.14, (tau) => `sin(2*PI*(${from}+${slide}*${tau})*${tau})*exp(-18*${tau})`);
      return (
        `${looped(`${chirp(0.4, 3100, 6000)}+${chirp(0.7, 3300, 5000)}+${chirp(3.6, 3900, -4000)}+${chirp(6.2, 3000, 7000)}`, 9.3, d)},${MONO}[amb1];` +
        `${n('pink', 20)},bandpass=f=700:width_type=q:w=0.6,tremolo=f=0.12:d=0.6,${MONO}[amb2];` +
        `[amb1][amb2]amerge=inputs=2,pan=mono|c0=0.25*c0+0.6*c1`
      );
    }
    case 'breath':
      // Slow breathing close by: filtered noise under an inhale/exhale envelope.
      return (
        `${n('pink', 20)},highpass=f=250,lowpass=f=1300,${MONO}[amb1];` +
        `${envelope('pow(max(0,sin(2*PI*0.23*t)),2)+0.7*pow(max(0,-sin(2*PI*0.23*t)),3)', d)},${MONO}[amb2];` +
        `[amb1][amb2]amultiply`
      );
  }
}

/** Stinger for each scare: a falling sub boom, a dissonant high cluster, a burst of noise. */
export function stingerExpr(times: readonly number[]): string {
  if (!times.length) return '0';
  return times
    .map((at) =>
      // if() evaluates only the branch taken: outside the window exp() would overflow.
      event(
        at,
        2.8,
        (tau) =>
          // A 4 ms attack: sharp enough to startle, soft enough not to overshoot as a click.
          `(1-exp(-250*${tau}))*(0.8*sin(2*PI*(58*${tau}-9*${tau}*${tau}))*exp(-2.5*${tau})` +
          `+0.3*(sin(2*PI*1397*${tau})+sin(2*PI*1480*${tau})+sin(2*PI*1568*${tau})+sin(2*PI*1661*${tau}))*exp(-1.8*${tau})` +
          `+0.4*(2*random(9)-1)*exp(-7*${tau}))`,
      ),
    )
    .join('+');
}

/** One heartbeat ("lub-dub"), starting at zero (no click), as an expression of t. */
export function heartbeatExpr(): string {
  return (
    `0.9*sin(2*PI*52*t)*exp(-26*t)+0.3*sin(2*PI*104*t)*exp(-40*t)` +
    `+if(gte(t,0.2),0.7*sin(2*PI*46*(t-0.2))*exp(-30*(t-0.2)),0)`
  );
}

/** Gain of the drones over time: 1, dipping to 0.05 for the hush before each scare. */
export function hushExpr(times: readonly number[]): string {
  if (!times.length) return '1';
  const dips = times.map(
    (at) => `clip(min((t-${num(at - 1.7)})/0.4,(${num(at + 0.7)}-t)/0.7),0,1)`,
  );
  return `1-0.95*min(1,${dips.join('+')})`;
}

/**
 * Filter chains producing one mono stream per stem, merged into `[stems]` (one channel per stem,
 * in STEMS order).
 */
export function stemSources(scene: FilmScene): string {
  const d = scene.seconds;
  const seed = 1000 + scene.index * 37;
  const sine = (f: number): string => `sine=f=${Math.round(f)}:r=${SAMPLE_RATE}:d=${num(d)}`;
  const r = scene.root;
  const times = scene.scares.map((s) => s.at);
  const chains: string[] = [
    `${noise('brown', seed, d)},lowpass=f=170,highpass=f=22,${MONO}[roomL]`,
    `${noise('brown', seed + 1, d)},lowpass=f=170,highpass=f=22,${MONO}[roomR]`,
    `${noise('pink', seed + 2, d)},highpass=f=1500,lowpass=f=5000,${MONO}[air]`,
    `${ambienceChain(scene.ambience, d, seed)},${MONO}[amb]`,
    // Pad: root octave, fifth above, two octaves, breathing slowly.
    `${sine(2 * r)}[p1];${sine(3 * r)}[p2];${sine(4 * r)}[p3];` +
      `[p1][p2][p3]amerge=inputs=3,pan=mono|c0=0.5*c0+0.3*c1+0.15*c2,tremolo=f=0.125:d=0.3,${MONO}[pad0]`,
    // Dissonance: a partial 1 Hz off the octave (beats once a second), a tritone, a minor ninth.
    `${sine(2 * r + 1)}[q1];${sine(2.83 * r)}[q2];${sine(4.24 * r)}[q3];` +
      `[q1][q2][q3]amerge=inputs=3,pan=mono|c0=0.45*c0+0.35*c1+0.2*c2,tremolo=f=0.25:d=0.5,${MONO}[diss0]`,
    // Strings: a high cluster a few hertz apart, bowed (6.5 Hz tremolo), with bow noise.
    `${sine(12.5 * r)}[s1];${sine(12.5 * r + 19)}[s2];${sine(12.5 * r + 41)}[s3];${sine(12.5 * r + 67)}[s4];` +
      `${noise('pink', seed + 3, d)},bandpass=f=${Math.round(12.5 * r)}:width_type=q:w=4,${MONO}[s5];` +
      `[s1][s2][s3][s4][s5]amerge=inputs=5,pan=mono|c0=0.2*c0+0.2*c1+0.2*c2+0.2*c3+0.5*c4,tremolo=f=6.5:d=0.6,${MONO}[strings0]`,
    // Sub: a low tone and rumble, swelling.
    `${sine(0.75 * r)}[u1];${noise('brown', seed + 4, d)},lowpass=f=55,${MONO}[u2];` +
      `[u1][u2]amerge=inputs=2,pan=mono|c0=0.6*c0+1.2*c1,tremolo=f=0.5:d=0.4,${MONO}[sub0]`,
    `${looped(heartbeatExpr(), 60 / scene.heartbeat, d)},${MONO}[heart]`,
    `${expr(stingerExpr(times), d)},highpass=f=25,lowpass=f=7000,${MONO}[sting]`,
  ];
  const drones = ['pad', 'diss', 'strings', 'sub'] as const;
  if (times.length) {
    chains.push(
      `${envelope(hushExpr(times), d)},${MONO},asplit=4${drones.map((x) => `[h${x}]`).join('')}`,
      ...drones.map((x) => `[${x}0][h${x}]amultiply,${MONO}[${x}]`),
    );
  } else {
    chains.push(...drones.map((x) => `[${x}0]anull[${x}]`));
  }
  chains.push(`${STEMS.map((s) => `[${s}]`).join('')}amerge=inputs=${STEMS.length}[stems]`);
  return chains.join(';');
}

/** `pan` coefficients of one output channel: `g1*c1+g2*c2…` over the non-zero gains. */
function channelSum(gains: ReadonlyMap<number, number>): string {
  const terms = [...gains]
    .filter(([, g]) => g !== 0)
    .map(([c, g]) => `${Number(g.toPrecision(6))}*c${c}`);
  return terms.length ? terms.join('+') : '0*c0';
}

/** Left and right coefficients of the bed (times `bed`) and the layers (times `layers`). */
export function mixCoefficients(
  intensity: number,
  gains: { bed: number; layers: number },
): [Map<number, number>, Map<number, number>] {
  const w = layerWeights(intensity);
  const left = new Map<number, number>();
  const right = new Map<number, number>();
  STEMS.forEach((stem, c) => {
    if (stem in BED) {
      const [l, r] = BED[stem as BedStem];
      left.set(c, l * gains.bed);
      right.set(c, r * gains.bed);
    } else {
      const g = w[stem as Layer] * gains.layers;
      left.set(c, g);
      right.set(c, g);
    }
  });
  return [left, right];
}

function panStereo(intensity: number, gains: { bed: number; layers: number }): string {
  const [l, r] = mixCoefficients(intensity, gains);
  return `pan=stereo|c0=${channelSum(l)}|c1=${channelSum(r)}`;
}

/** Name of the ebur128 meter of the layers at intensity index `k` in stemsGraph. */
export function layersMeter(k: number): string {
  return `ebur128@layers${k}`;
}

/**
 * The stems graph: the scene's stems to `[stems]` (written to a file), and meters: the bed
 * (`ebur128@bed`) and each intensity's layers at unit gain (`ebur128@layers<k>`).
 */
export function stemsGraph(scene: FilmScene, intensities: readonly number[]): string {
  const n = intensities.length + 1;
  const meters = [
    `[m0]${panStereo(0, { bed: 1, layers: 0 })},ebur128@bed=framelog=verbose,anullsink`,
    ...intensities.map(
      (i, k) =>
        `[m${k + 1}]${panStereo(i, { bed: 0, layers: 1 })},${layersMeter(k)}=framelog=verbose,anullsink`,
    ),
  ];
  return (
    `${stemSources(scene)};[stems]asplit=${n + 1}[out]${Array.from({ length: n }, (_, k) => `[m${k}]`).join('')};` +
    `${meters.join(';')};[out]anull[stems_out]`
  );
}

/**
 * A variant's mix of the stems at input `input` (e.g. `3:a`): bed and layers at the solved gains
 * (dB), limited to LIMIT_DBFS; output `[a]`.
 */
export function mixGraph(
  input: string,
  intensity: number,
  gainsDb: { bed: number; layers: number },
): string {
  const lin = (db: number): number => 10 ** (db / 20);
  return (
    `[${input}]${panStereo(intensity, { bed: lin(gainsDb.bed), layers: lin(gainsDb.layers) })},` +
    `alimiter=limit=${num(lin(LIMIT_DBFS))}:attack=5:release=80:level=0,` +
    `aformat=sample_rates=${SAMPLE_RATE}:channel_layouts=stereo[a]`
  );
}
